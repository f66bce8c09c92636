'use client';
import type { FeatureDto } from '@omakase/api-contract';
import { useState } from 'react';
import { commands } from '@/client/api';
import { Mascot } from '../mascot';
import { buttonClass, Card, inputClass, secondaryButtonClass } from '../ui';

export function AnswerForm({ feature, canAnswer }: { feature: FeatureDto; canAnswer: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const planApproval = feature.needsInput?.reason === 'plan_approval';
  const send = async (answer: string) => {
    setError(null);
    try {
      await commands.answer(feature.id, answer);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const submit = (form: FormData) => send(String(form.get('answer') ?? ''));
  return (
    <Card className="space-y-3 border-warn/50 bg-warn-soft p-5">
      <div className="flex items-start gap-3">
        <Mascot agent="orchestrator" state="thinking" size={36} />
        <div>
          <h3 className="font-semibold">
            {planApproval ? 'The plan is ready for your approval' : 'The agents need your input'}
          </h3>
          <p className="whitespace-pre-wrap text-sm" data-testid="needs-input-question">
            {feature.needsInput?.question}
          </p>
        </div>
      </div>
      {canAnswer ? (
        <form action={(form) => void submit(form)} className="space-y-2">
          <label htmlFor="answer" className="sr-only">
            Answer
          </label>
          <textarea
            id="answer"
            name="answer"
            rows={3}
            className={inputClass}
            placeholder={planApproval ? 'What should change in the plan?' : 'Your answer'}
            required
          />
          {error ? (
            <p role="alert" className="text-sm text-danger">
              {error}
            </p>
          ) : null}
          <div className="flex gap-2">
            {planApproval ? (
              <button type="button" className={buttonClass} onClick={() => void send('approve')}>
                Approve plan
              </button>
            ) : null}
            <button type="submit" className={planApproval ? secondaryButtonClass : buttonClass}>
              {planApproval ? 'Send back with changes' : 'Send answer'}
            </button>
          </div>
        </form>
      ) : null}
    </Card>
  );
}
