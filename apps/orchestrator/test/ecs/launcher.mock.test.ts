/** The launcher's retry rules, with the SDK mocked at the client (simpler than the fake here). */
import { ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { driverFor, specFor } from './support';

const ecs = mockClient(ECSClient);
afterEach(() => ecs.reset());

describe('RunTask retries (aws-sdk-client-mock)', () => {
  it('retries a capacity failure in the response and then succeeds', async () => {
    ecs
      .on(RunTaskCommand)
      .resolvesOnce({ tasks: [], failures: [{ reason: 'Capacity is unavailable at this time' }] })
      .resolves({ tasks: [{ taskArn: 'arn:task/1' }] });
    const driver = driverFor({ url: 'http://127.0.0.1:1' } as never, {
      client: new ECSClient({ region: 'us-east-1' }),
    });
    await expect(driver.start(specFor())).resolves.toBe('arn:task/1');
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(2);
    await driver.close();
  });

  it('gives up after the attempt limit for non-throttling errors', async () => {
    ecs.on(RunTaskCommand).rejects(Object.assign(new Error('denied'), { name: 'ServerException' }));
    const driver = driverFor({ url: 'http://127.0.0.1:1' } as never, {
      client: new ECSClient({ region: 'us-east-1' }),
    });
    await expect(driver.start(specFor())).rejects.toThrow('denied');
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(5);
    await driver.close();
  });

  it("does not retry RunTask on a definition we may not run (the org's runner is not deployed)", async () => {
    ecs
      .on(RunTaskCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const driver = driverFor({ url: 'http://127.0.0.1:1' } as never, {
      client: new ECSClient({ region: 'us-east-1' }),
    });
    await expect(driver.start(specFor())).rejects.toThrow(/omakase-runner-org_test is not deployed/);
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(1);
    await driver.close();
  });
});
