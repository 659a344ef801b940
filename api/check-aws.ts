// Imported first by aws.ts (`cdktf-rainbow/aws`), before any module that loads a provider: exits 1 with one
// line when a provider package that cdktf-rainbow/aws loads is not installed.
import { requireProviders } from './required-providers';

requireProviders('cdktf-rainbow/aws');
