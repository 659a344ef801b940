import { MANAGED_BY } from '../../model/types';

/** The label that tells colors apart. Two colors' selectors differ in it, so they never overlap. */
export const COLOR_LABEL = 'cdktf-rainbow/color';

/** Labels that select one color's pods, and only them. */
export function selectorLabels(app: string, color: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, [COLOR_LABEL]: color };
}

/** Every label a color's objects carry: the selector labels and the recommended ones. */
export function colorLabels(app: string, color: string): Record<string, string> {
  return {
    ...selectorLabels(app, color),
    'app.kubernetes.io/instance': `${app}-${color}`,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/**
 * Labels of a migration Job's pods. They lack the color label on purpose: the color's Service
 * and Deployment must never select a migration pod.
 */
export function migrationLabels(app: string, color: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/instance': `${app}-${color}`,
    'app.kubernetes.io/component': 'migration',
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}
