// Fixed material for the demo seed: names, places, procedures and the words patients and Anna use.

export const FEMALE_NAMES = [
  'Ana', 'Beatriz', 'Camila', 'Carolina', 'Daniela', 'Débora', 'Eduarda', 'Fernanda', 'Gabriela', 'Helena',
  'Isabela', 'Jéssica', 'Juliana', 'Larissa', 'Letícia', 'Luana', 'Luciana', 'Mariana', 'Marina', 'Natália',
  'Patrícia', 'Priscila', 'Rafaela', 'Renata', 'Sabrina', 'Tatiane', 'Vanessa', 'Vitória', 'Yasmin', 'Aline',
  'Amanda', 'Bruna', 'Cláudia', 'Cristina', 'Elaine', 'Flávia', 'Giovana', 'Ingrid', 'Joana', 'Kátia',
  'Lívia', 'Manuela', 'Michele', 'Mônica', 'Paula', 'Raquel', 'Sílvia', 'Simone', 'Thaís', 'Valéria',
  'Adriana', 'Alessandra', 'Andréa', 'Bianca', 'Cecília', 'Denise', 'Fabiana', 'Heloísa', 'Lorena', 'Sandra',
] as const;

export const MALE_NAMES = [
  'André', 'Bruno', 'Carlos', 'Daniel', 'Eduardo', 'Felipe', 'Gustavo', 'Henrique', 'Igor', 'João',
  'Leonardo', 'Lucas', 'Marcelo', 'Mateus', 'Paulo', 'Rafael', 'Ricardo', 'Rodrigo', 'Thiago', 'Vinícius',
] as const;

export const OTHER_NAMES = ['Alex', 'Ariel', 'Dani', 'Sam', 'Noa', 'Cris'] as const;

export const SURNAMES = [
  'Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes',
  'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa',
  'Rocha', 'Dias', 'Nascimento', 'Andrade', 'Moreira', 'Nunes', 'Marques', 'Machado', 'Mendes', 'Freitas',
  'Cardoso', 'Ramos', 'Gonçalves', 'Santana', 'Teixeira', 'Araújo', 'Pinto', 'Correia', 'Cavalcanti', 'Monteiro',
  'Moura', 'Campos', 'Castro', 'Batista', 'Rezende', 'Farias', 'Azevedo', 'Tavares', 'Prado', 'Bezerra',
] as const;

export const EMAIL_DOMAINS = ['gmail.com', 'gmail.com', 'gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com.br', 'uol.com.br', 'icloud.com'] as const;

/** Neighbourhoods of São Paulo and the ABC/Grande SP, with the first five CEP digits. */
export const PLACES = [
  { district: 'Jardim Paulista', city: 'São Paulo', cep: '01420' },
  { district: 'Pinheiros', city: 'São Paulo', cep: '05422' },
  { district: 'Moema', city: 'São Paulo', cep: '04077' },
  { district: 'Vila Mariana', city: 'São Paulo', cep: '04101' },
  { district: 'Itaim Bibi', city: 'São Paulo', cep: '04530' },
  { district: 'Perdizes', city: 'São Paulo', cep: '05015' },
  { district: 'Tatuapé', city: 'São Paulo', cep: '03310' },
  { district: 'Santana', city: 'São Paulo', cep: '02012' },
  { district: 'Brooklin', city: 'São Paulo', cep: '04571' },
  { district: 'Vila Madalena', city: 'São Paulo', cep: '05435' },
  { district: 'Higienópolis', city: 'São Paulo', cep: '01238' },
  { district: 'Saúde', city: 'São Paulo', cep: '04143' },
  { district: 'Mooca', city: 'São Paulo', cep: '03104' },
  { district: 'Butantã', city: 'São Paulo', cep: '05508' },
  { district: 'Centro', city: 'Santo André', cep: '09010' },
  { district: 'Rudge Ramos', city: 'São Bernardo do Campo', cep: '09635' },
  { district: 'Centro', city: 'Osasco', cep: '06010' },
  { district: 'Vila Augusta', city: 'Guarulhos', cep: '07040' },
] as const;

export const STREETS = [
  'Rua Augusta', 'Rua Oscar Freire', 'Alameda Santos', 'Rua Haddock Lobo', 'Rua dos Pinheiros', 'Avenida Ibirapuera',
  'Rua Domingos de Morais', 'Rua Joaquim Floriano', 'Rua Cardoso de Almeida', 'Rua Tuiuti', 'Rua Voluntários da Pátria',
  'Avenida Santo Amaro', 'Rua Harmonia', 'Rua Maranhão', 'Rua Loefgren', 'Rua da Mooca', 'Avenida Vital Brasil',
  'Rua das Figueiras', 'Rua Jurubatuba', 'Rua Antônio Agú', 'Avenida Paulo Faccini', 'Rua Bela Cintra',
] as const;

export const COMPLEMENTS = ['Apto 12', 'Apto 41', 'Apto 83', 'Apto 132', 'Bloco B, apto 24', 'Casa 2', 'Sala 305', 'Fundos'] as const;

export interface DemoProcedure {
  key: string;
  name: string;
  description: string;
  category: 'facial' | 'corporal' | 'capilar' | 'outra';
  durationMinutes: number;
  priceCents: number;
  costCents: number;
  /** Relative popularity when booking. */
  weight: number;
}

export const PROCEDURES: readonly DemoProcedure[] = [
  { key: 'botox', name: 'Toxina botulínica (Botox)', description: 'Suaviza rugas de expressão da testa, glabela e pés de galinha.', category: 'facial', durationMinutes: 30, priceCents: 120000, costCents: 42000, weight: 10 },
  { key: 'labial', name: 'Preenchimento labial', description: 'Ácido hialurônico para volume e contorno dos lábios.', category: 'facial', durationMinutes: 60, priceCents: 150000, costCents: 55000, weight: 7 },
  { key: 'olheiras', name: 'Preenchimento de olheiras', description: 'Ácido hialurônico para corrigir a depressão da região dos olhos.', category: 'facial', durationMinutes: 45, priceCents: 140000, costCents: 50000, weight: 3 },
  { key: 'bioestimulador', name: 'Bioestimulador de colágeno', description: 'Estimula a produção de colágeno para firmeza e sustentação da pele.', category: 'facial', durationMinutes: 60, priceCents: 250000, costCents: 110000, weight: 4 },
  { key: 'limpeza', name: 'Limpeza de pele profunda', description: 'Higienização, extração e máscara calmante.', category: 'facial', durationMinutes: 90, priceCents: 22000, costCents: 4000, weight: 12 },
  { key: 'peeling', name: 'Peeling químico', description: 'Renovação celular para manchas, textura e marcas de acne.', category: 'facial', durationMinutes: 45, priceCents: 38000, costCents: 9000, weight: 6 },
  { key: 'microagulhamento', name: 'Microagulhamento', description: 'Indução percutânea de colágeno para cicatrizes e poros.', category: 'facial', durationMinutes: 60, priceCents: 45000, costCents: 10000, weight: 5 },
  { key: 'skinbooster', name: 'Skinbooster', description: 'Hidratação profunda com ácido hialurônico não reticulado.', category: 'facial', durationMinutes: 45, priceCents: 110000, costCents: 40000, weight: 3 },
  { key: 'drenagem', name: 'Drenagem linfática', description: 'Massagem manual para reduzir retenção de líquidos e inchaço.', category: 'corporal', durationMinutes: 60, priceCents: 18000, costCents: 2000, weight: 9 },
  { key: 'radiofrequencia', name: 'Radiofrequência corporal', description: 'Tratamento de flacidez e celulite com calor controlado.', category: 'corporal', durationMinutes: 45, priceCents: 25000, costCents: 3000, weight: 5 },
  { key: 'criolipolise', name: 'Criolipólise', description: 'Redução de gordura localizada por resfriamento.', category: 'corporal', durationMinutes: 60, priceCents: 90000, costCents: 15000, weight: 3 },
  { key: 'laser', name: 'Depilação a laser (axilas)', description: 'Redução permanente de pelos com laser de diodo.', category: 'corporal', durationMinutes: 30, priceCents: 20000, costCents: 2500, weight: 6 },
  { key: 'capilar', name: 'Intradermoterapia capilar', description: 'Aplicação de ativos no couro cabeludo contra a queda de cabelo.', category: 'capilar', durationMinutes: 45, priceCents: 35000, costCents: 7000, weight: 3 },
];

export interface DemoProfessional {
  key: string;
  name: string;
  email: string;
  phone: string;
  specialty: string;
  commissionBps: number;
  color: string;
  procedures: readonly string[];
  /** weekday (0 = Sunday) → [start, end) intervals in minutes since midnight. */
  hours: Readonly<Record<number, readonly (readonly [number, number])[]>>;
}

const h = (hh: number, mm = 0) => hh * 60 + mm;

export const PROFESSIONALS: readonly DemoProfessional[] = [
  {
    key: 'camila', name: 'Dra. Camila Ferreira', email: 'camila.ferreira@bellapele.com.br', phone: '+5511991234501',
    specialty: 'Dermatologista (CRM-SP 154.321)', commissionBps: 4000, color: '#e11d48',
    procedures: ['botox', 'labial', 'olheiras', 'bioestimulador', 'peeling', 'skinbooster', 'capilar'],
    hours: {
      1: [[h(9), h(12)], [h(13), h(18)]], 2: [[h(9), h(12)], [h(13), h(18)]], 3: [[h(9), h(12)], [h(13), h(18)]],
      4: [[h(9), h(12)], [h(13), h(18)]], 5: [[h(9), h(12)], [h(13), h(17)]], 6: [[h(9), h(13)]],
    },
  },
  {
    key: 'renata', name: 'Dra. Renata Alves', email: 'renata.alves@bellapele.com.br', phone: '+5511991234502',
    specialty: 'Biomédica esteta (CRBM 12.345)', commissionBps: 3500, color: '#7c3aed',
    procedures: ['botox', 'labial', 'skinbooster', 'microagulhamento', 'peeling', 'bioestimulador', 'criolipolise', 'capilar'],
    hours: {
      2: [[h(10), h(13)], [h(14), h(19)]], 3: [[h(10), h(13)], [h(14), h(19)]], 4: [[h(10), h(13)], [h(14), h(19)]],
      5: [[h(10), h(13)], [h(14), h(19)]], 6: [[h(9), h(14)]],
    },
  },
  {
    key: 'patricia', name: 'Patrícia Lima', email: 'patricia.lima@bellapele.com.br', phone: '+5511991234503',
    specialty: 'Esteticista', commissionBps: 2500, color: '#0891b2',
    procedures: ['limpeza', 'drenagem', 'radiofrequencia', 'laser', 'peeling', 'microagulhamento'],
    hours: {
      1: [[h(8), h(12)], [h(13), h(17)]], 2: [[h(8), h(12)], [h(13), h(17)]], 3: [[h(8), h(12)], [h(13), h(17)]],
      4: [[h(8), h(12)], [h(13), h(17)]], 5: [[h(8), h(12)], [h(13), h(17)]], 6: [[h(8), h(12)]],
    },
  },
];

export const REWARDS = [
  { name: 'R$ 50 de desconto', description: 'Vale em qualquer procedimento.', pointsRequired: 500, discountCents: 5000, discountPercent: null, validityDays: 90, maxUses: 1 },
  { name: '10% na limpeza de pele', description: 'Desconto na próxima limpeza de pele profunda.', pointsRequired: 300, discountCents: null, discountPercent: 10, validityDays: 60, maxUses: 1 },
  { name: 'Drenagem linfática cortesia', description: 'Uma sessão de drenagem linfática por nossa conta.', pointsRequired: 1200, discountCents: null, discountPercent: 100, validityDays: 90, maxUses: 1 },
  { name: 'R$ 150 no preenchimento', description: 'Desconto em preenchimento labial ou de olheiras.', pointsRequired: 1500, discountCents: 15000, discountPercent: null, validityDays: 120, maxUses: 1 },
] as const;

export const TAGS = ['vip', 'indicação', 'instagram', 'sensível a preço', 'pele sensível', 'noiva', 'gestante', 'pacote', 'alergia a lidocaína'] as const;
export const SOURCES = ['instagram', 'indicação', 'google', 'whatsapp', 'passante', 'facebook'] as const;

export const PATIENT_NOTES = [
  'Prefere horários no fim da tarde.',
  'Pele sensível: evitar ácidos fortes.',
  'Veio por indicação de uma amiga.',
  'Tem medo de agulha, explicar cada etapa.',
  'Quer resultado natural.',
  'Prefere ser chamada pelo WhatsApp.',
] as const;

export const CANCEL_REASONS = [
  'Imprevisto no trabalho', 'Paciente doente', 'Viagem de última hora', 'Remarcou para outra data',
  'Problema com transporte', 'Questões financeiras', 'Cancelado pela clínica: profissional indisponível',
] as const;

export const NPS_COMMENTS = {
  promoter: [
    'Amei o resultado, ficou super natural!', 'Atendimento impecável, equipe muito atenciosa.',
    'A Dra. foi maravilhosa, explicou tudo com calma.', 'Já indiquei para minhas amigas!', 'Clínica linda e muito limpa.',
    'Resultado melhor do que eu esperava.', 'Pontualidade e carinho no atendimento. Voltarei com certeza.',
  ],
  passive: [
    'Gostei, mas atrasou um pouco.', 'Bom atendimento, achei o preço um pouco alto.', 'Resultado bom, esperava um pouco mais.',
    'Tudo certo, só o estacionamento que é difícil.',
  ],
  detractor: [
    'Esperei 40 minutos para ser atendida.', 'Fiquei com hematoma e ninguém me retornou.', 'Achei caro pelo resultado.',
    'A recepção foi pouco atenciosa.',
  ],
} as const;

export const REVIEW_COMMENTS = [
  'Profissional excelente!', 'Mão levíssima, não senti nada.', 'Muito cuidadosa e atenciosa.', 'Recomendo de olhos fechados.',
  'Ótima explicação do procedimento.', 'Resultado lindo.',
] as const;

export const LEAD_OPENERS = [
  'Oi, boa tarde! Queria saber o valor do {procedimento}', 'Olá! Vocês fazem {procedimento}?',
  'Oi, vi o perfil de vocês no Instagram e queria agendar {procedimento}', 'Bom dia, quanto custa {procedimento}?',
  'Oi! Uma amiga indicou a clínica, queria fazer {procedimento}', 'Olá, tenho interesse em {procedimento}, como funciona?',
] as const;

export const SPAM_MESSAGES = [
  'Promoção imperdível! Ganhe dinheiro trabalhando de casa, clique no link', 'Seu CPF foi sorteado! Responda SIM para receber o prêmio',
  'Oferecemos seguidores para o Instagram da sua clínica', 'Empréstimo consignado com a menor taxa, fale comigo',
] as const;
