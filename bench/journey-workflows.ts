// The bench worker's workflows: the product's, plus an empty workflow as the server's baseline.
export * from '../workflows';

export async function benchEmptyWorkflow(): Promise<void> {}
