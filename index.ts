// The public API of cdktf-rainbow, by name (in api/): what is not exported here is internal and may
// change in any release. jsii builds the same API for Python, Java, C# and Go from this file.
export * from './api/model';
export * from './api/kubernetes';
export * from './api/aws';
