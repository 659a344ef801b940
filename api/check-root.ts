// Imported first by index.ts (`cdktf-rainbow`), before any module that loads a provider: exits 1 with one
// line when a provider package that the package root loads is not installed.
import { requireProviders } from './required-providers';

requireProviders('cdktf-rainbow');
