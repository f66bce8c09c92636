import { describe, expect, it } from 'vitest';
import { mapStoppedTask } from '../../src/compute/ecs';

const container = (exitCode?: number) => [{ name: 'runner', exitCode }];

describe('mapStoppedTask', () => {
  it.each([
    [{ stopCode: 'EssentialContainerExited', containers: container(0) }, false, 'completed', 0],
    [{ stopCode: 'EssentialContainerExited', containers: container(2) }, false, 'failed', 2],
    [{ stopCode: 'SpotInterruption', containers: container(143) }, false, 'interrupted', 143],
    [
      { stoppedReason: 'Your Spot Task was interrupted.', containers: container() },
      false,
      'interrupted',
      null,
    ],
    [{ stopCode: 'SpotInterruption', containers: container(143) }, true, 'interrupted', 143],
    [{ stopCode: 'TerminationNotice', containers: container(143) }, false, 'interrupted', 143],
    [{ stopCode: 'UserInitiated', containers: container(143) }, true, 'stopped', 143],
    [{ stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError' }, false, 'lost', null],
    [{ stopCode: 'UserInitiated', containers: container(137) }, false, 'failed', 137],
  ])('%j (stop requested %s) → %s', (task, stopRequested, reason, exitCode) => {
    expect(mapStoppedTask(task, 'runner', stopRequested)).toEqual({ reason, exitCode });
  });
});
