/**
 * The most stacks one cdktf deploy runs at once (`rainbow apply --parallelism`): each is a Terraform process with its
 * providers.
 */
export const MAX_PARALLELISM = 64;
