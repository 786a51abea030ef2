import { describe, expect, it } from 'vitest';
import { isOptOut } from './opt-out';

describe('isOptOut', () => {
  it.each(['SAIR', 'sair', ' Sair! ', 'PARAR', 'Parar.', 'STOP', 'stop', 'CANCELAR INSCRIÇÃO', 'cancelar inscricao', 'Descadastrar', 'não quero mais receber'])(
    'recognises %j', (text) => expect(isOptOut(text)).toBe(true));
  it.each(['CANCELAR', 'cancelar', 'sim', '1', 'quero sair mais cedo do trabalho', 'pode parar o carro aqui?', '', '🛑'])(
    'ignores %j', (text) => expect(isOptOut(text)).toBe(false));
});
