// The public API of cdktf-rainbow, by name (in api/): what is not exported here is internal and may
// change in any release. jsii builds the same API for Python, Java, C# and Go from this file.
// It loads every platform, so it needs both provider packages: the check comes first, and says in
// one line which entry point to import when only one is installed.
import './api/check-root';

export * from './api/model';
export * from './api/kubernetes';
export * from './api/aws';
