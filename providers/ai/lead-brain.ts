// The port through which Anna's journey reads and words messages, and its local adapter: the
// deterministic pt-BR engine (domain/anna/) alone. The OpenAI adapter with the local fallback is brain.ts.
import { analyzeMessage } from '../../domain/anna/engine';
import type { AnalysisContext, ClinicKnowledge, MessageAnalysis } from '../../domain/anna/types';

/** What reads and words Anna's messages: the OpenAI adapter (brain.ts), or the local engine alone. */
export interface LeadBrain {
  analyze(input: { clinicId: string; conversationId: string | null; text: string; ctx: AnalysisContext }): Promise<MessageAnalysis & { engine: 'openai' | 'local'; fallbackReason?: string }>;
  phrase?(input: { clinicId: string; conversationId: string | null; draft: string; knowledge: ClinicKnowledge; history: { sender: 'anna' | 'paciente' | 'staff'; body: string }[] }): Promise<{ text: string; engine: 'openai' | 'local'; fallbackReason?: string }>;
}

export const localBrain: LeadBrain = {
  async analyze({ text, ctx }) {
    return { ...analyzeMessage(text, ctx), engine: 'local' };
  },
};

