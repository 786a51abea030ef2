import { describe, expect, it } from 'vitest';
import { interpretReply } from './reply-intent';

describe('interpretReply', () => {
  it.each([
    '1', 'sim', 'Sim', 'SIM!', 'confirmo', 'Confirmado', 'confirmada', 'ok 👍', 'OK', '👍', 'sim, confirmo', 'Sim, vou sim',
    'confirmo presença', 'Pode confirmar', 'estarei lá', 'tudo certo', ' 1 ', 'Sim obrigada', 'beleza',
  ])('%s → confirm', (text) => expect(interpretReply(text)).toBe('confirm'));

  it.each([
    '2', 'não', 'Nao', 'NÃO', 'cancelar', 'Cancela', 'não vou poder', 'Não vou poder ir', 'infelizmente não', 'quero cancelar',
    'preciso desmarcar', 'sim, quero cancelar', 'não posso', 'não vou conseguir amanhã', '❌',
  ])('%s → cancel', (text) => expect(interpretReply(text)).toBe('cancel'));

  it.each([
    '', '   ', 'qual o endereço?', 'posso remarcar para sexta?', '3', 'bom dia', 'oi tudo bem',
    'Sim eu queria saber se posso levar minha filha junto e se tem estacionamento perto da clínica por favor',
    'não entendi', 'confirmo? não sei',
  ])('%s → unknown', (text) => expect(interpretReply(text)).toBe('unknown'));
});
