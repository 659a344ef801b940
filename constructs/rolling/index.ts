export * from './rolling-update-policy';
