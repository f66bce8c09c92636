import type { FeatureStatus, Priority } from '@omakase/domain';

export const STATUS_LABEL: Record<FeatureStatus, string> = {
  pending: 'Pending',
  setting_up: 'Setting up',
  architecting: 'Architecting',
  coding: 'Coding',
  reviewing: 'Reviewing',
  testing: 'Testing',
  done: 'Done',
  needs_input: 'Needs input',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export type Tone = 'neutral' | 'accent' | 'ok' | 'danger' | 'info' | 'warn';

export const STATUS_TONE: Record<FeatureStatus, Tone> = {
  pending: 'neutral',
  setting_up: 'info',
  architecting: 'info',
  coding: 'info',
  reviewing: 'info',
  testing: 'info',
  done: 'ok',
  needs_input: 'warn',
  failed: 'danger',
  cancelled: 'neutral',
};

export const PRIORITY_LABEL: Record<Priority, string> = {
  0: 'No priority',
  1: 'Urgent',
  2: 'High',
  3: 'Medium',
  4: 'Low',
};

export const PRIORITY_TONE: Record<Priority, Tone> = {
  0: 'neutral',
  1: 'danger',
  2: 'accent',
  3: 'warn',
  4: 'neutral',
};
