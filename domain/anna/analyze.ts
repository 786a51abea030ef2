// analyzeMessage: what one pt-BR WhatsApp message says (see engine.ts for the documented priorities).
import { normalizePhone } from '../phone';
import type { AnalysisContext, DayPeriod, Interest, MessageAnalysis, QuestionTopic, Qualification } from './types';
import { expandSlang, liteText, normalizeText, titleCase } from './normalize';
import { localOf, localToday, parseTime, parseWhen } from './dates';
import { findProcedure } from './procedures';
import { sentimentOf } from './sentiment';

/** Characters analysed: longer messages are cut (keeps every call well under a millisecond per KB). */
export const MAX_ANALYSED_CHARS = 2000;

const has = (t: string, re: RegExp) => re.test(t);

// ---- interest ---------------------------------------------------------------------------------------
const STRONG_NO = /\b(nao (quero|tenho interesse|tenho mais interesse|me interessa|preciso|vou querer|quero mais|gostaria)|sem interesse|nao obrigad[oa]|nao valeu|desisti|deixa pra la|nao e pra mim|nao curti)\b/;
const MAYBE = /\b(talvez|to pensando|estou pensando|tou pensando|pensando ainda|ainda pensando|vou pensar|preciso pensar|nao sei ainda|ainda nao sei|nao sei|nao tenho certeza|depende do (preco|valor)|depende|vou ver|quem sabe|sei la|pode ser que|mais pra frente|futuramente|ainda nao decidi|agora nao|por enquanto nao|depois te (falo|respondo|aviso|chamo)|te (falo|respondo|aviso|chamo) depois|vou ver com (meu|minha)|sem (grana|dinheiro|condicoes)|vamos ver|vou analisar|vou verificar|preciso ver|tenho que ver|vou decidir)\b/;
const SOFT_NO = /\b((so|apenas) (pesquisando|olhando|cotando|curiosidade|uma duvida|perguntando|vendo)|(so|apenas) (estou|to) (pesquisando|olhando|vendo))\b/;
const YES = /\b(quero|queria (fazer|agendar|marcar)|gostaria (de fazer|de agendar|de marcar|de)|tenho interesse|tenho muito interesse|interesse sim|sim|com certeza|bora|vamos|claro|quero sim|pode marcar|pode agendar|agendar|marcar|tenho vontade|to afim|estou afim|to a fim|isso mesmo|positivo|demoro|partiu|fechado)\b/;
const YES_EXCLUDE = /\b(quero|queria|gostaria de) (saber|ver|entender|perguntar|informacao|informacoes|tirar (uma |umas )?duvidas?|falar)\b/g;
const EMOJI_YES = /(👍|👌|✅|✔|🙏|🤝)/u;
const EMOJI_NO = /(👎|❌|✖)/u;

const BARE_YES = /^(sim|sim sim|sim quero|sim pode|sim por favor|claro|claro que sim|com certeza|pode|pode ser|pode sim|ok|certo|isso|isso mesmo|beleza|perfeito|quero|quero sim|confirmo|confirmado|confirma|pode confirmar|fechado|bora|exato|positivo|uhum|aham|yes|otimo|show|top|combinado|s)$/;
const BARE_NO = /^(nao|nao obrigado|nao obrigada|nao quero|nao posso|negativo|nope|nem|nao da|nao vai dar|nao consigo|no|nao pode)$/;

const YES_FILLER = new Set(['sim', 'pode', 'ser', 'claro', 'isso', 'mesmo', 'certo', 'ok', 'beleza', 'perfeito', 'quero', 'confirmo', 'confirmado', 'com', 'certeza',
  'por', 'favor', 'exato', 'positivo', 'bora', 'fechado', 'combinado', 'obrigado', 'obrigada', 'otimo', 'otima', 'show', 'top', 'que', 'e', 'ta', 'tudo', 'bem', 'pra', 'mim', 'serve', 'da', 'uhum', 'aham', 'blz']);
const YES_CORE = /\b(sim|pode|claro|isso|ok|certo|beleza|perfeito|confirmo|confirmado|exato|positivo|bora|fechado|combinado|serve|uhum|aham|blz)\b/;
const NO_FILLER = new Set(['nao', 'obrigado', 'obrigada', 'posso', 'da', 'consigo', 'quero', 'negativo', 'pode', 'nem', 'vai', 'dar', 'melhor', 'serve', 'esse', 'este', 'infelizmente']);
const NO_CORE = /\b(nao|negativo|nem)\b/;
const isBare = (t: string, filler: Set<string>, core: RegExp) => t !== '' && t.split(' ').length <= 6 && t.split(' ').every((w) => filler.has(w)) && core.test(t);

function interestOf(t: string, raw: string): Interest | null {
  if (has(t, STRONG_NO)) return 'nao';
  if (has(t, MAYBE)) return 'talvez';
  if (has(t, SOFT_NO)) return 'nao';
  if (has(t.replace(YES_EXCLUDE, ' '), YES)) return 'sim';
  if (EMOJI_YES.test(raw) && !t) return 'sim';
  return null;
}

// ---- intents ----------------------------------------------------------------------------------------
const GREETING = /^(oi+e*|ola|ola+|oii+|oie|hey|hello|hi|opa|e ai|eai|salve|bom dia|boa tarde|boa noite|tudo bem|tudo bom|como vai)( (tudo bem|tudo bom|bom dia|boa tarde|boa noite|anna|ana|moca|querida|gente|pessoal|td bem|como vai|com voce|e voce|obrigad[oa]))*( (tudo bem|tudo bom))?$/;
const GREETING_START = /^(oi+e*|ola|oii+|oie|opa|e ai|eai|bom dia|boa tarde|boa noite)\b/;
const HUMAN = /\b((falar|conversar|falo) com (uma |um |a |o |alguma |algum )?(pessoa|atendente|humano|humana|alguem|gente|responsavel|recepcao|recepcionista|doutora|doutor|dra|dr|medica|medico|profissional|dona|gerente|equipe|voces de verdade)|atendente|atendimento humano|pessoa de verdade|pessoa real|ser humano|nao quero falar com (robo|bot|maquina)|(me|pode me) (liga|ligar|ligue)|ligar pra mim|liga pra mim|me ligue|quero ligar|prefiro ligar|falar por telefone|chama (a|o|alguem))\b/;
const STOP = /\b(nao quero mais|nao tenho mais interesse|para de (me )?mandar|pare de (me )?mandar|parem de (me )?mandar|para de me (enviar|chamar|incomodar)|pare de me (enviar|chamar|incomodar)|nao me (mande|mandem|envie|chame) mais|nao mande mais|tchau|adeus|descadastrar|me (tira|tire|remove|remova|exclui|exclua)|nao me perturbe|me deixa em paz|cancelar tudo|desisto)\b/;
const STOP_ALONE = /^(sair|chega|stop|pare|parar|para)$/;

const INSULT = /\b(idiota|burra|burro|lixo|imbecil|estupida|estupido|otaria|otario|inutil|vagabunda|vagabundo|fdp|filha da puta|filho da puta|vsf|vtnc|vai se (f\w*|lascar|ferrar|danar)|vai tomar no|tomar no cu|arrombad[oa]|desgracad[oa]|babaca|anta|jumenta|retardad[oa]|escrota|escroto|piranha|cretina|cretino|palhacada|incompetente|porcaria de (robo|bot|atendimento))\b/;
/** Words that aim an expletive at Anna / the clinic ("porra de robô", "que merda de atendimento"). */
const AT_ANNA = /\b(voce|voces|sua|seu|tua|teu|robo|robozinho|bot|anna|ana|atendimento|atendente|clinica|maquina|assistente)\b/;
const EXPLETIVE = /\b(porra|caralho|merda|pqp|puta que pariu|cacete|droga|bosta)\b/;

const SPAM_WORDS = /\b(ganhe dinheiro|ganhar dinheiro|renda extra|bitcoin|cripto|criptomoeda|criptomoedas|btc|forex|day trade|trader|cassino|apostas esportivas|casa de apostas|bets|bet365|tigrinho|fortune tiger|pix premiado|clique aqui|clica no link|acesse o link|trabalhe em casa|trabalho em casa|emprestimo consignado|emprestimo|lucro garantido|ganhos diarios|(ganhe|compre|mais) seguidores|investimento garantido|voce foi sorteado|voce foi sorteada|voce ganhou|oferta imperdivel|promocao imperdivel|marketing digital|agencia de marketing|trafego pago)\b/;
const LINK = /(https?:\/\/|www\.|\b[a-z0-9-]+\.(com|net|org|io|ly|me|xyz|info|biz|site|online|shop|top|click|link)(\.br)?\b|bit\.ly|wa\.me|t\.me)/;

function isSpam(t: string, lite: string, hasProcedure: boolean): boolean {
  if (has(t, SPAM_WORDS)) return true;
  // A link is spam unless it is about the clinic: a procedure named, or a social/maps link (a post the lead saw).
  const links = lite.replace(/\S+@\S+/g, ' ').replace(/\S*(instagram\.com|instagr\.am|facebook\.com|fb\.com|fb\.me|tiktok\.com|maps\.app\.goo\.gl|goo\.gl\/maps|google\.com\/maps)\S*/g, ' ');
  if (LINK.test(links) && !hasProcedure) return true;
  // The same consonant over and over (not laughter: kkkk, rsrs, hahaha, nor "aaaah", "!!!!").
  if (/([b-df-gjl-np-qt-z])\1{9,}/.test(lite)) return true;
  if (lite.length >= 30 && new Set(lite.replace(/\s/g, '')).size <= 2) return true;
  const words = t.split(' ').filter(Boolean);
  if (words.length >= 20) {
    const distinct = new Set(words).size;
    if (distinct / words.length < 0.15) return true; // the same phrase over and over
  }
  // Keyboard mash: long "words" with almost no vowels ("asdfghjkl", "qwrtpsdfg").
  const mash = words.filter((w) => w.length >= 7 && /^[a-z]+$/.test(w) && (w.match(/[aeiou]/g)?.length ?? 0) / w.length < 0.2 && !/^k+$/.test(w));
  if (mash.length > 0 && mash.length * 2 >= words.length) return true;
  return false;
}

// ---- questions --------------------------------------------------------------------------------------
const Q: [QuestionTopic, RegExp][] = [
  ['price', /\b(investimento|qual o investimento|desconto|descontos|promocao|promocoes|quanto (custa|e|fica|sai|ta|esta|cobra|cobram|seria|vai ficar|que custa|que e)|qual (o |e o )?(valor|preco)|valor|valores|preco|precos|orcamento|quanto|tabela de precos|custa|custo)\b/],
  ['address', /\b(onde (fica|ficam|voces ficam|e a clinica|e|esta|estao|voces estao)|fica onde|endereco|localizacao|local|como chego|como chegar|qual o bairro|que bairro|mapa|perto de)\b/],
  ['hours', /\b(horario de (funcionamento|atendimento)|horarios de (funcionamento|atendimento)|que horas (abre|fecha|abrem|fecham|voces abrem|funciona)|ate que horas|abre (sabado|domingo|feriado|aos sabados|de sabado|amanha|hoje)|abrem (sabado|domingo|aos sabados|de sabado)|funciona(m)? (sabado|domingo|aos sabados|de sabado|feriado|hoje)|atende(m)? (sabado|domingo|aos sabados|de sabado|feriado)|horario voces|qual (o )?horario|dias de atendimento|voces abrem)\b/],
  ['duration', /\b((demora|leva|dura) (mais de |menos de |umas? |uns )?(\d+|uma|um|duas|dois|meia) (hora|horas|minutos|min)|a sessao (leva|dura|demora)|quanto tempo (demora|leva|e a sessao|de sessao|de procedimento|dura a sessao|dura o procedimento)|demora (muito|quanto)|duracao|leva quanto tempo|dura quanto tempo a sessao|tempo de sessao)\b/],
  ['procedure_details', /\b(diferenca|qual e melhor|qual o melhor|indicado|indicada|saber mais|mais informacoes|mais detalhes|informacoes sobre|como funciona|como e feito|como e o procedimento|como e|doi|vai doer|da dor|sente dor|quanto tempo dura|dura quanto|quanto dura|efeito colateral|efeitos colaterais|contra indicacao|contraindicacao|e seguro|recuperacao|resultado|resultados|o que e|pos procedimento|cuidados|fica inchado|inchaco|roxo|marca)\b/],
  ['procedures_list', /\b(quais (os )?(procedimentos|tratamentos|servicos)|que (procedimentos|tratamentos|servicos)|o que voces (fazem|oferecem|tem|trabalham)|lista de (procedimentos|servicos|tratamentos)|quais sao os (procedimentos|servicos|tratamentos)|voces fazem o que|procedimentos voces|o que tem ai|catalogo|cardapio)\b/],
  ['payment_methods', /\b(pix|cartao|parcel\w*|forma de pagamento|formas de pagamento|como (pago|faco o pagamento|e o pagamento)|aceita(m)? (cartao|pix|credito|debito|boleto|dinheiro)|credito|debito|boleto|vezes sem juros|sem juros|pagamento)\b/],
];

function questionsOf(t: string, raw: string): QuestionTopic[] {
  const out: QuestionTopic[] = [];
  for (const [topic, re] of Q) if (re.test(t)) out.push(topic);
  // "quanto tempo demora" is duration, not price; "quanto tempo dura" is about the results.
  if (out.includes('price') && /\bquanto tempo\b/.test(t) && !/\b(custa|valor|preco|quanto (custa|e|fica|sai))\b/.test(t.replace(/quanto tempo/g, ''))) out.splice(out.indexOf('price'), 1);
  if (out.includes('duration') && out.includes('procedure_details') && !/\b(como funciona|doi|efeito|resultado|seguro|recuperacao|o que e|dura quanto|quanto dura|quanto tempo dura)\b/.test(t)) out.splice(out.indexOf('procedure_details'), 1);
  if (out.includes('hours') && out.includes('price') && !/\b(valor|preco|custa|quanto (custa|e|fica|sai))\b/.test(t)) out.splice(out.indexOf('price'), 1);
  // "local" alone is too vague unless asked.
  if (out.includes('address') && /^[^?]*$/.test(raw) && !/\b(onde|endereco|localizacao|como chego|como chegar|bairro|mapa)\b/.test(t)) out.splice(out.indexOf('address'), 1);
  return out;
}

// ---- slots ------------------------------------------------------------------------------------------
const ORDINALS: [RegExp, number | 'last'][] = [
  [/\b(primeira|primeiro|1a|1o|opcao 1|numero 1|o 1|a 1|opcao um|a um|o um)\b/, 1],
  [/\b(segunda opcao|segundo|segunda alternativa|segunda op|segunda opc|2a|2o|opcao 2|numero 2|o 2|a 2|opcao dois|o dois|a dois)\b|^(a |o )?segunda$/, 2],
  [/\b(terceira|terceiro|3a|3o|opcao 3|numero 3|o 3|a 3|opcao tres|o tres|a tres)\b/, 3],
  [/\b(ultima|ultimo|a ultima|o ultimo)\b/, 'last'],
];
const ASK_OTHER_TIMES = /\b(outro horario|outros horarios|outro dia|outra data|outras datas|outros dias|outra opcao|outras opcoes|tem outro|tem outra|mais opcoes|mais horarios|outro periodo|outra hora)\b/;
const OTHER_SLOTS = /\b(nenhum|nenhuma|outro horario|outros horarios|outro dia|outra data|outras datas|outros dias|outra opcao|outras opcoes|nao posso nesses|nao consigo nesses|nao da nesses|nenhum desses|nenhuma dessas|tem outro|tem outra|mais opcoes|mais horarios|nao serve|nao servem|nao posso|nao consigo|nao da|outro)\b/;

function chooseSlot(t: string, lite: string, ctx: AnalysisContext, weekday: number | null, time: string | null, date: string | null): number | null {
  const slots = ctx.offeredSlots ?? [];
  const n = slots.length;
  if (n === 0) return null;
  const bare = /^(?:opcao |numero |o |a |op )?([1-9])$/.exec(t);
  if (bare) { const i = Number(bare[1]); return i <= n ? i : null; }
  // Ordinals first, unless a weekday/time/date is clearly named ("segunda-feira", "na segunda às 10h").
  const clearlyDay = /\b(feira|dia|na segunda|nesta segunda|nessa segunda|proxima segunda)\b/.test(t) || time !== null || date !== null;
  const tz0 = ctx.knowledge?.timeZone ?? 'America/Sao_Paulo';
  if (t === 'segunda') { // a bare "segunda": the Monday slot when there is exactly one, else the second option
    const mondays = slots.map((s, i) => ({ i, l: localOf(s.startsAt, tz0) })).filter((x) => x.l?.weekday === 1);
    if (mondays.length === 1) return mondays[0].i + 1;
  }
  if (!clearlyDay || !/\bsegunda\b/.test(t)) {
    for (const [re, idx] of ORDINALS) {
      if (re.test(t) && !(idx === 2 && /\bsegunda\b/.test(t) && clearlyDay)) { const i = idx === 'last' ? n : idx; return i <= n ? i : null; }
    }
  }
  const tz = ctx.knowledge?.timeZone ?? 'America/Sao_Paulo';
  const locals = slots.map((s) => localOf(s.startsAt, tz));
  let candidates = slots.map((_, i) => i);
  let filtered = false;
  if (time) {
    const [h, m] = time.split(':').map(Number);
    candidates = candidates.filter((i) => locals[i] && locals[i]!.minute === h * 60 + m);
    filtered = true;
  }
  if (date) { candidates = candidates.filter((i) => locals[i]?.date === date); filtered = true; }
  else if (weekday !== null) { candidates = candidates.filter((i) => locals[i]?.weekday === weekday); filtered = true; }
  if (filtered) return candidates.length === 1 ? candidates[0] + 1 : null;
  // A professional's name ("com a Dra. Ana").
  const byPro = slots.map((s, i) => ({ i, name: normalizeText(s.professionalName ?? '') })).filter((x) => {
    const first = x.name.replace(/^(dra|dr|doutora|doutor) /, '').split(' ')[0];
    return first && first.length >= 3 && new RegExp(`\\b${first}\\b`).test(t);
  });
  if (byPro.length > 0 && new Set(byPro.map((x) => x.name)).size === 1 && byPro.length === 1) return byPro[0].i + 1;
  void lite;
  return null;
}

// ---- name & phone -----------------------------------------------------------------------------------
const NOT_NAME_WORDS = new Set([
  'sim', 'nao', 'oi', 'ola', 'quero', 'obrigado', 'obrigada', 'bom', 'boa', 'dia', 'tarde', 'noite', 'manha', 'interessada', 'interessado',
  'cliente', 'paciente', 'nova', 'novo', 'eu', 'mesma', 'mesmo', 'favor', 'ok', 'talvez', 'pode', 'ser', 'claro', 'tudo', 'bem', 'amanha',
  'hoje', 'botox', 'preenchimento', 'limpeza', 'pele', 'valeu', 'beleza', 'certo', 'isso', 'aqui', 'de', 'que', 'qual', 'quanto', 'como',
  'onde', 'tenho', 'gostaria', 'queria', 'vou', 'to', 'estou', 'esse', 'este', 'numero', 'semana', 'vem', 'mes', 'sexta', 'segunda', 'terca',
  'quarta', 'quinta', 'sabado', 'domingo', 'horario', 'prefiro', 'agendar', 'marcar', 'uma', 'um', 'pessoa', 'atendente', 'ainda', 'sei',
  'voce', 'vc', 'la', 'ai', 'so', 'mais', 'muito', 'interesse', 'procedimento', 'confirmo', 'perfeito', 'otimo', 'show', 'top',
  'mae', 'pai', 'esposa', 'marido', 'filha', 'filho', 'irma', 'irmao', 'namorada', 'namorado', 'responsavel', 'recepcao', 'dona', 'dono',
  'secretaria', 'amiga', 'amigo', 'cliente', 'tambem', 'nao', 'qualquer', 'tanto', 'faz', 'obg', 'tchau', 'valeu',
]);
const NAME_STOP = new Set(['e', 'tenho', 'quero', 'queria', 'gostaria', 'estou', 'to', 'vim', 'sobre', 'aqui', 'com', 'para', 'pra', 'ok', 'obrigado', 'obrigada', 'tudo', 'prefiro', 'pode', 'meu', 'minha', 'e', 'mas', 'porque', 'que', 'interessada', 'interessado']);

function nameOf(raw: string, stage: AnalysisContext['stage'], lastQuestion: AnalysisContext['lastQuestion']): string | null {
  const low = raw.toLocaleLowerCase('pt-BR');
  const m = /(?:meu nome (?:é|e|eh)|me chamo|sou (?:a|o)|aqui (?:é|e|eh) (?:a |o )?|quem fala (?:é|e|eh) (?:a |o )?|pode me chamar de|nome completo (?:é|e|eh):?|nome:)\s*([\p{L}'’-]+(?:\s+[\p{L}'’-]+){0,5})/u.exec(low);
  if (m) {
    const words: string[] = [];
    for (const w of m[1].split(/\s+/)) {
      const nw = normalizeText(w);
      if (NAME_STOP.has(nw) || words.length >= 5) break;
      words.push(w);
    }
    while (words.length > 0 && ['da', 'de', 'do', 'das', 'dos'].includes(normalizeText(words[words.length - 1]))) words.pop();
    if (words.length > 0 && !NOT_NAME_WORDS.has(normalizeText(words[0])) && words.some((w) => w.length >= 2)) return titleCase(words.join(' '));
  }
  if (lastQuestion === 'name' || (stage === 'asking_name' && lastQuestion !== 'phone')) {
    const s = raw.trim().replace(/[.!,;:]+$/u, '').replace(/\s+/g, ' ');
    if (/^[\p{L}'’-]+(?: [\p{L}'’-]+){1,4}$/u.test(s)) {
      const ws = normalizeText(s).split(' ');
      if (!ws.some((w) => NOT_NAME_WORDS.has(w) && !['da', 'de', 'do'].includes(w)) && ws.every((w) => w.length >= 1)) return titleCase(s);
    }
  }
  return null;
}

const PHONE_CANDIDATE = /[+(]?\d[\d\s().-]{7,20}\d/g;

function otherPhoneOf(raw: string, lite: string): string | null {
  for (const m of raw.matchAll(PHONE_CANDIDATE)) {
    const cand = m[0].trim();
    if ((cand.match(/\d/g)?.length ?? 0) < 10) continue;
    const e164 = normalizePhone(cand);
    if (e164) return e164;
  }
  void lite;
  return null;
}
const PHONE_CONFIRM = /\b(pode ser (esse|este)( (numero|mesmo|ai|aqui|whatsapp))?|(esse|este) (mesmo|numero mesmo|numero)|pode usar (esse|este)|pode (usar|ser|chamar|ligar) (nesse|neste|aqui|esse|este)|(nesse|neste|por esse|por este|por aqui) mesmo|pode (me )?chamar aqui|e esse mesmo|e este mesmo|e esse|o mesmo|pode ser por aqui|pode ser aqui|aqui mesmo|esse whatsapp|esse e o (meu )?numero|e o meu numero)\b/;

// ---- main -------------------------------------------------------------------------------------------
function emptyAnalysis(): MessageAnalysis {
  return { extracted: {}, intent: 'unknown', slotChoice: null, questions: [], sentiment: 0, empty: true };
}

export function analyze(text: string, ctx: AnalysisContext): MessageAnalysis {
  const raw = typeof text === 'string' ? text.slice(0, MAX_ANALYSED_CHARS) : '';
  const norm = normalizeText(raw);
  const t = expandSlang(norm);
  const lite = liteText(raw);
  const words = t ? t.split(' ') : [];
  const stage = ctx?.stage ?? 'qualifying';
  const lastQuestion = ctx?.lastQuestion ?? null;
  const knowledge = ctx?.knowledge;
  const procedures = Array.isArray(knowledge?.procedures) ? knowledge.procedures : [];
  const known: Partial<Qualification> = ctx?.known ?? {};
  const sentiment = sentimentOf(raw, words);

  const yesEmoji = EMOJI_YES.test(raw);
  const noEmoji = EMOJI_NO.test(raw);
  if (!t && !yesEmoji && !noEmoji) return { ...emptyAnalysis(), sentiment };

  const extracted: Partial<Qualification> = {};
  const procMatch = findProcedure(words, procedures);
  if (procMatch) extracted.procedure = procMatch.procedure;

  // Interest: explicit words; a bare yes/no answers the interest question.
  const bareYes = BARE_YES.test(t) || (!t && yesEmoji) || (isBare(t, YES_FILLER, YES_CORE) && !NO_CORE.test(t));
  const bareNo = BARE_NO.test(t) || (!t && noEmoji) || isBare(t, NO_FILLER, NO_CORE);
  let interest = interestOf(t, raw);
  if (t === '' && yesEmoji) interest = 'sim';
  if (t === '' && noEmoji) interest = lastQuestion === 'interest' ? 'nao' : null;
  if ((bareYes || bareNo) && lastQuestion !== 'interest' && lastQuestion !== null) interest = null; // answers another question
  if ((bareYes || bareNo) && stage !== 'qualifying') interest = null;
  if (bareNo && lastQuestion === 'interest') interest = 'nao';
  if (bareYes && !interest && lastQuestion === 'interest' && stage === 'qualifying') interest = 'sim';
  // A procedure with a date/time and no explicit interest word implies interest.
  // "sim, pode ser esse número" answers the phone question, not the interest one.
  if (interest === 'sim' && lastQuestion && lastQuestion !== 'interest' && lastQuestion !== 'procedure' && !/\b(quero|tenho interesse|agendar|marcar|gostaria de fazer|queria fazer)\b/.test(t)) interest = null;
  // Outside qualifying, yes/no words answer the stage's question (slot, name, payment), not the interest one.
  if (stage === 'choosing_slot' || stage === 'confirming_slot' || stage === 'asking_name' || stage === 'awaiting_payment') interest = STRONG_NO.test(t) ? interest : null;
  if (interest) extracted.interest = interest;

  const today = knowledge ? localToday(ctx.now, knowledge.timeZone) : null;
  const when = parseWhen(t, lite, today);
  // "abre sábado?" asks about opening hours; it does not pick a date.
  const hoursQuestion = Q[2][1].test(t) && /\?/.test(raw) && !/\b(quero|queria|gostaria|prefiro|pode ser|agendar|marcar)\b/.test(t);
  if (hoursQuestion) { when.date = null; when.when = null; }
  // "sem grana esse mês", "não dá esse mês" rule this month out rather than pick it.
  if (when.when === 'este mês' && /\b(sem (grana|dinheiro|condicoes)|nao (da|posso|consigo|vai dar))\b/.test(t)) when.when = null;
  if (when.date) extracted.preferredDate = when.date;
  if (when.when) extracted.interestWhen = when.when;
  const tm = hoursQuestion ? { time: null, period: null } : parseTime(t, lite);
  if (tm.time) extracted.preferredTime = tm.time;
  if (tm.period) extracted.preferredPeriod = tm.period;
  if (!extracted.interest && stage === 'qualifying' && (extracted.procedure?.id || known.procedure?.id) && (when.date || when.when) && !has(t, /\?/)) extracted.interest = 'sim';

  // Phone. The phone question is asked while qualifying or while asking the name before booking.
  const phoneStage = lastQuestion === 'phone' && (stage === 'qualifying' || stage === 'asking_name' || stage === 'staff_queue' || stage === 'done');
  const other = otherPhoneOf(raw, lite);
  if (other) { extracted.phoneConfirmed = false; extracted.otherPhone = other; }
  else if (has(t, PHONE_CONFIRM) && (lastQuestion === 'phone' || /\b(numero|whatsapp|telefone|celular|contato)\b/.test(t) || /^(esse|este) mesmo$/.test(t))) extracted.phoneConfirmed = true;
  else if (phoneStage && bareYes) extracted.phoneConfirmed = true;
  // A bare "não" only denies (intent 'deny'): phoneConfirmed false comes with the other number.

  const name = nameOf(raw, stage, lastQuestion);
  if (name) extracted.name = name;

  // "quanto custa a limpeza e o laser?": every procedure named gets its own answer.
  const named = [...new Set(t.split(/\s*(?:,|\be\b|\bou\b|\/)\s*/)
    .map((seg) => findProcedure(seg.split(' ').filter(Boolean), procedures)?.procedure.id)
    .filter((id): id is string => Boolean(id)))];
  const questions = questionsOf(t, raw).flatMap((topic) => {
    const aboutProcedure = topic === 'price' || topic === 'procedure_details' || topic === 'duration';
    if (aboutProcedure && named.length > 1) return named.map((procedureId) => ({ topic, procedureId }));
    return [{
      topic,
      procedureId: aboutProcedure ? (extracted.procedure?.id ?? (extracted.procedure ? null : known.procedure?.id ?? null)) : null,
    }];
  });
  // A question about a procedure is not (yet) an interest in booking it.
  if (questions.length > 0 && extracted.interest === 'sim' && !has(t, /\b(quero|tenho interesse|agendar|marcar|gostaria de fazer|queria fazer|sim)\b/)) delete extracted.interest;
  // A price question does not make the lead undecided ("depende do preço" does).
  if (extracted.interest === 'talvez' && /^(nao sei|sei la)$/.test(t) && lastQuestion !== 'interest') delete extracted.interest;

  const result: MessageAnalysis = { extracted, intent: 'unknown', slotChoice: null, questions, sentiment, empty: false };
  const hasExtracted = Object.keys(extracted).length > 0;

  // ---- intent, first rule that applies wins (see engine.ts) ----
  if (isSpam(t, lite, !!procMatch)) { result.intent = 'spam'; result.extracted = {}; result.questions = []; return result; }
  if (has(t, INSULT) || (has(t, EXPLETIVE) && has(t, AT_ANNA))) { result.intent = 'insult'; return result; }
  if (has(t, HUMAN)) { result.intent = 'human'; return result; }
  if ((has(t, STOP) || STOP_ALONE.test(t)) && !(stage === 'choosing_slot' && /\bnao posso\b/.test(t))) {
    result.intent = 'stop';
    if (!extracted.interest && stage === 'qualifying' && /\b(nao quero mais|nao tenho mais interesse|desisto)\b/.test(t)) extracted.interest = 'nao';
    return result;
  }
  if (stage === 'choosing_slot') {
    const choice = chooseSlot(t, lite, ctx, when.weekday, tm.time, when.weekday === null ? when.date : null);
    if (choice !== null && !has(t, /\b(nenhum|nenhuma|outro|outra)\b/)) {
      // The chosen slot carries the date and time; "a segunda" (the 2nd option) is not a Monday.
      for (const key of ['preferredDate', 'interestWhen', 'preferredTime', 'preferredPeriod', 'interest'] as const) delete extracted[key];
      result.intent = 'choose_slot'; result.slotChoice = choice; return result;
    }
    if (has(t, OTHER_SLOTS) || when.date || when.weekday !== null || tm.time || tm.period || bareNo) { result.intent = 'other_slots'; return result; }
  }
  if (stage === 'confirming_slot' || stage === 'awaiting_payment') {
    // "tem outro horário?", "pode ser outro dia?", "e na sexta?": other times, not a yes/no.
    if (has(t, ASK_OTHER_TIMES) || when.date || when.weekday !== null || tm.time || tm.period) { result.intent = 'other_slots'; return result; }
    if (bareYes || has(t, /\b(sim|pode confirmar|confirmo|confirma|pode marcar|fechado|combinado)\b/) && !has(t, /\bnao\b/)) { result.intent = 'affirm'; return result; }
    if (bareNo || has(t, /^nao\b/) || has(t, /\b(nao posso|nao da|nao consigo|melhor nao|prefiro outro)\b/)) { result.intent = 'deny'; return result; }
  }
  if (phoneStage && !extracted.otherPhone) {
    if (extracted.phoneConfirmed === true) { result.intent = 'affirm'; return result; }
    if (bareNo || has(t, /^nao\b/)) { result.intent = 'deny'; return result; }
  }
  const onlyProcedure = Object.keys(extracted).every((k) => k === 'procedure');
  if (hasExtracted && !(questions.length > 0 && onlyProcedure)) { result.intent = 'answer'; return result; }
  if (questions.length > 0) { result.intent = 'question'; return result; }
  // A greeting with nothing else understood ("olá, vi o anúncio no instagram") is a greeting.
  if (GREETING.test(t) || (GREETING_START.test(t) && words.length <= 12)) { result.intent = 'greeting'; return result; }
  if (bareYes) { result.intent = 'affirm'; return result; }
  if (bareNo) { result.intent = 'deny'; return result; }
  return result;
}

export type { DayPeriod };
