// Imported first by kubernetes.ts (`cdktf-rainbow/kubernetes`), before any module that loads a provider: exits 1 with
// one line when a provider package that cdktf-rainbow/kubernetes loads is not installed.
import { requireProviders } from './required-providers';

requireProviders('cdktf-rainbow/kubernetes');
