// The modules of the product brief, as the navigation and their pages present them.
import type { Role } from '$lib/types';
import type { IconName } from '$lib/components/Icon.svelte';

export interface ModuleInfo {
  href: string;
  label: string;
  icon: IconName;
  /** One line: what the module will do for the clinic. */
  summary: string;
  /** What it will bring, in the order of the brief. */
  planned: string[];
  /** Roles that see it; all roles when absent. */
  roles?: Role[];
}

export const modules: ModuleInfo[] = [
  {
    href: '/pacientes',
    label: 'Pacientes',
    icon: 'users',
    summary: 'Cadastro completo de pacientes, com histórico de atendimentos e classificação.',
    planned: [
      'Cadastrar, editar e remover pacientes',
      'Busca e filtros',
      'Histórico de agendamentos',
      'Tags e classificação (ouro, prata, bronze, novo)',
      'Vários telefones e endereços por paciente',
    ],
  },
  {
    href: '/agenda',
    label: 'Agendamentos',
    icon: 'calendar',
    summary: 'Agenda da clínica por dia, semana e mês, com horários livres e sincronização com o Google Agenda.',
    planned: [
      'Vistas de dia, semana e mês',
      'Novo agendamento passo a passo',
      'Remarcar e cancelar com motivo',
      'Detecção de horários livres e bloqueios',
      'Sincronização com Google Agenda e exportação .ics',
    ],
  },
  {
    href: '/conversas',
    label: 'Chat Anna',
    icon: 'message',
    summary: 'As conversas de WhatsApp com a Anna, a assistente que qualifica interessados e sugere horários.',
    planned: [
      'Mensagens recebidas e respondidas pela Anna',
      'Quatro perguntas de qualificação e score de interesse (0–100)',
      'Sugestão de horário e confirmação com um toque',
      'Histórico completo da conversa',
      'Indicadores do chat',
    ],
  },
  {
    href: '/lembretes',
    label: 'Lembretes',
    icon: 'bell',
    summary: 'Lembretes automáticos 24 h e 2 h antes de cada atendimento, com confirmação e cancelamento em um toque.',
    planned: [
      'Lembrete 24 h e 2 h antes pelo WhatsApp',
      'SMS e e-mail como reserva',
      'Mensagens personalizáveis',
      'Taxa de confirmação acompanhada',
    ],
  },
  {
    href: '/simulador',
    label: 'Simulador',
    icon: 'phone',
    summary: 'O celular do paciente: mensagens enviadas pela clínica e respostas como o paciente.',
    planned: ['Conversa por paciente', 'Responder como o paciente pelo mesmo caminho do webhook'],
  },
  {
    href: '/pagamentos',
    label: 'Pagamentos',
    icon: 'card',
    summary: 'Cobranças por link, Pix e cartão, com comprovantes, reembolsos e conciliação.',
    planned: [
      'Link de pagamento e cobrança de sinal',
      'Pix e cartão de crédito',
      'Cobrança recorrente mensal',
      'Comprovante digital e reembolso',
      'Conciliação e divisão de comissão',
    ],
  },
  {
    href: '/feedback',
    label: 'Pesquisa & Feedback',
    icon: 'star',
    summary: 'Pesquisa NPS depois de cada atendimento, leitura do sentimento, fila de detratores, avaliações e ofertas de upsell.',
    planned: [
      'Pesquisa NPS automática 24 h após o atendimento',
      'Análise de sentimento dos comentários',
      'Ofertas personalizadas para promotores',
      'Campanhas de reativação de pacientes inativos',
    ],
  },
  {
    href: '/campanhas',
    label: 'Campanhas',
    icon: 'refresh',
    summary: 'Pacientes em risco de não voltar, o valor de cada paciente e o resultado medido das campanhas de reativação.',
    planned: [
      'Risco de cada paciente (0–100) com os motivos',
      'Valor esperado em 12 meses',
      'Campanhas com grupo de controle e lift medido',
      'Modelo que aprende com os resultados',
    ],
  },
  {
    href: '/relatorios',
    label: 'Relatórios',
    icon: 'chart',
    summary: 'Relatórios de receita, procedimentos, profissionais e retenção de pacientes.',
    planned: [
      'Receita por período e por procedimento',
      'Desempenho por profissional',
      'Análise de coorte e valor do paciente (CLV)',
      'Previsões',
      'Exportação em PDF e Excel',
    ],
  },
  {
    href: '/admin',
    label: 'Administração',
    icon: 'settings',
    roles: ['admin'],
    summary: 'Configurações da clínica, equipe, procedimentos, integrações e auditoria.',
    planned: [
      'Dados da clínica e fuso horário',
      'Profissionais e horários de atendimento',
      'Procedimentos e preços',
      'Integrações (WhatsApp, pagamentos, agenda, e-mail)',
      'Permissões de usuários e registro de auditoria',
    ],
  },
];

export function moduleByHref(href: string): ModuleInfo {
  const found = modules.find((m) => m.href === href);
  if (!found) throw new Error(`unknown module ${href}`);
  return found;
}

export function visibleModules(role: Role): ModuleInfo[] {
  return modules.filter((m) => !m.roles || m.roles.includes(role));
}

export const roleLabels: Record<Role, string> = {
  admin: 'Administrador',
  staff: 'Equipe',
  view: 'Somente leitura',
};
