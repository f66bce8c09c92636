/**
 * Placeholders synthesize (an offline `cdk synth` needs no context) but never deploy: each one in
 * use adds a synth warning and a CloudFormation rule whose assertion is false, so CloudFormation
 * refuses the stack (or change set) before creating anything — on every deploy path (`cdk
 * deploy`, a pipeline, the console), not only ours.
 */
import { Annotations, CfnRule, Fn, type Stack } from 'aws-cdk-lib';
import { PLACEHOLDERS, type PlatformConfig } from './config';

const HOW_TO_SET: Record<keyof typeof PLACEHOLDERS, string> = {
  apiUrl: '-c apiUrl=https://<your-vercel-domain>',
  tokenUrl: '-c tokenUrl=https://<tenant>/oauth/token',
};

/** The config fields still holding their placeholder. */
export function placeholdersIn(config: PlatformConfig): (keyof typeof PLACEHOLDERS)[] {
  return (Object.keys(PLACEHOLDERS) as (keyof typeof PLACEHOLDERS)[]).filter(
    (field) => config[field] === PLACEHOLDERS[field],
  );
}

export function addDeployGuard(stack: Stack, config: PlatformConfig): void {
  for (const field of placeholdersIn(config)) {
    const message = `${field} is a placeholder (${PLACEHOLDERS[field]}): fine for synth, refused at deploy; set ${HOW_TO_SET[field]}`;
    Annotations.of(stack).addWarningV2(`omakase:placeholder-${field}`, message);
    new CfnRule(stack, `Require-${field}`, {
      assertions: [
        {
          // Compares the template's own value with the placeholder: false while it is one.
          assert: Fn.conditionNot(Fn.conditionEquals(PLACEHOLDERS[field], PLACEHOLDERS[field])),
          assertDescription: message,
        },
      ],
    });
  }
}
