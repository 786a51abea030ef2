// The whole data model, one module per area (tables in English; see DESIGN.md § Data).
export * from './identity';
export * from './audit';
export * from './channels';
export * from './patients';
export * from './catalog';
export * from './staff';
export * from './appointments';
export * from './payments';
export * from './conversations';
export * from './feedback';
export * from './loyalty';
export * from './reactivation';
export * from './metrics';
export * from './messaging';
export * from './integrations';
export * from './relations';
