// Labelled pt-BR comments, as patients write them after a facial, botox, peeling, laser… (typos,
// emojis, negations; no sarcasm). Labels are what a reader would say, written before the lexicon.
// `SENTIMENT_FIXTURES` was used while building domain/sentiment.ts; `SENTIMENT_HOLDOUT` was written
// after the lexicon was frozen and never used to change it.
import type { SentimentLabel } from './sentiment';

export interface LabelledComment {
  text: string;
  label: SentimentLabel;
}

const p = (text: string): LabelledComment => ({ text, label: 'positivo' });
const n = (text: string): LabelledComment => ({ text, label: 'neutro' });
const m = (text: string): LabelledComment => ({ text, label: 'negativo' });

export const SENTIMENT_FIXTURES: readonly LabelledComment[] = [
  p('Amei o resultado da limpeza de pele, minha pele ficou outra! 😍'),
  p('Atendimento impecável, a Dra. foi super atenciosa e explicou tudo.'),
  p('otimo atendimento, pontuais e muito educados'),
  p('Fiz botox e ficou super natural, exatamente como eu queria'),
  p('Top demais!! Já quero voltar 💖'),
  p('A equipe é maravilhosa, me senti acolhida do início ao fim'),
  p('Não senti dor nenhuma no laser, recomendo muito'),
  p('mto bom, amei a experiencia'),
  p('Resultado incrível do peeling, minhas manchas clarearam bastante ✨'),
  p('Clínica linda, limpa e cheirosa. Fui muito bem atendida 👏👏'),
  p('Nada a reclamar, tudo perfeito!'),
  p('Achei que ia doer mas foi tranquilo, a doutora tem mão leve'),
  p('Super recomendo a Dra. Ana, profissional excelente'),
  p('preço justo e resultado otimo 👍'),
  p('Fiquei muito satisfeita com o preenchimento labial, nada exagerado'),
  p('Me atenderam no horário certinho, adorei'),
  p('Melhor clínica que já fui, voltarei com certeza'),
  p('O hidrafacial deixou minha pele maravilhosa, valeu cada centavo'),
  p('Gostei bastante, equipe atenciosa ❤️'),
  p('Tinha um pouco de medo, mas fui tão bem tratada que nem percebi o tempo passar'),
  p('amei amei amei 😍😍'),
  p('Excelente! A recepção foi simpática e o procedimento rápido'),

  n('Foi ok.'),
  n('Normal, nada de especial'),
  n('Atendimento bom, mas o resultado ainda não apareceu, vou esperar'),
  n('Ainda está cedo para avaliar o resultado do botox'),
  n('O procedimento foi rápido. Vou ver como fica nos próximos dias'),
  n('Mais ou menos, esperava um pouco mais'),
  n('Gostei do atendimento, mas achei o valor um pouco alto'),
  n('Fiz a limpeza de pele ontem, está um pouco vermelho ainda'),
  n('Razoável'),
  n('Tudo certo, sem novidades'),
  n('Sem comentários por enquanto'),
  n('A doutora foi gentil, mas esperei uns 20 minutos para ser atendida'),
  n('O resultado foi o esperado, nem mais nem menos'),
  n('Poderia ter mais horários à noite'),
  n('Achei bom, mas poderia ser mais barato'),
  n('Deu uma inchadinha mas a Dra disse que é normal'),
  n('Primeira sessão de laser, ainda não sei dizer'),
  n('O estacionamento é difícil, o resto tudo bem'),
  n('Gostei, mas não amei'),
  n('Foi dentro do esperado'),
  n('Preciso voltar para o retorno semana que vem'),

  m('Péssimo atendimento, esperei mais de uma hora 😡'),
  m('Não gostei do resultado, ficou assimétrico'),
  m('A recepcionista foi grossa comigo'),
  m('Muito caro pelo que entrega, não vale a pena'),
  m('Fiquei com hematoma por duas semanas e ninguém me ligou'),
  m('atrasou dms, perdi meu compromisso'),
  m('horrivel, nunca mais volto'),
  m('O botox não fez efeito nenhum 👎'),
  m('Doeu muito e a profissional nem perguntou se eu estava bem'),
  m('Nada bom. Queimou minha pele no laser'),
  m('Me senti enganada, o pacote não era o que prometeram'),
  m('Desorganização total, remarcaram meu horário 3 vezes'),
  m('Decepcionada com o peeling, minhas manchas continuam iguais 😞'),
  m('Sala suja e atendimento apressado'),
  m('Pessimo, cobraram a mais no cartão'),
  m('A Dra. foi educada mas o resultado ficou horrível'),
  m('Fiquei muito inchada e ninguém tinha me avisado'),
  m('Não recomendo'),
  m('pior experiencia que ja tive em clinica 🤬'),
  m('O atendimento deixou muito a desejar'),
  m('Demoraram para me responder no WhatsApp e quando responderam foi com má vontade'),
];

/** Written after the lexicon was frozen (commit "scoreSentiment …"); the lexicon was not changed for them. */
export const SENTIMENT_HOLDOUT: readonly LabelledComment[] = [
  p('A biomédica foi um amor, explicou cada passo do microagulhamento 🥰'),
  p('Resultado do botox ficou lindo, ninguém percebeu que fiz, só que estou com cara de descansada'),
  p('Amei a drenagem, saí leve e relaxada'),
  p('Equipe nota 10, sempre pontual e atenciosa'),
  p('Tava com receio do laser mas não doeu quase nada, super indico'),
  p('Ambiente aconchegante e a Dra. muito cuidadosa. Voltarei!'),
  p('Minha pele nunca esteve tão bonita, obrigada meninas 💕'),
  p('Preço ótimo pela qualidade, gostei muito'),

  n('Fiz a primeira sessão de depilação a laser, vamos ver'),
  n('Atendimento normal, nada que chame atenção'),
  n('Ok, tudo dentro do combinado'),
  n('Ainda estou com a pele sensível, mas faz parte do processo'),
  n('O resultado apareceu só em parte, vou aguardar o retorno'),
  n('Gostaria que tivesse mais opções de pagamento'),
  n('Foi tranquilo, mas o estacionamento é caro'),
  n('Não tenho muito o que dizer, foi um procedimento rápido'),

  m('Cheguei no horário e só fui atendida 50 minutos depois, um absurdo'),
  m('Fiquei com manchas roxas no rosto inteiro e ninguém me deu suporte'),
  m('Não gostei da forma como a recepcionista falou comigo'),
  m('Paguei caro e não vi diferença nenhuma'),
  m('A profissional estava com pressa e fez tudo de qualquer jeito 😤'),
  m('Horrível, meu lábio ficou torto'),
  m('Esperava muito mais, sinceramente uma decepção'),
  m('Marcaram errado meu horário e ainda quiseram cobrar a sessão'),
];
