import type { TenantStore } from '@omakase/domain';
import { newId } from '@omakase/domain';
import { asc, eq } from 'drizzle-orm';
import { members } from '../schema';
import type { TenantContext } from './context';
import { toMember } from './mappers';

export function memberRepository(ctx: TenantContext): TenantStore['members'] {
  return {
    list: () =>
      ctx.read(async (db) =>
        (
          await db
            .select()
            .from(members)
            .where(ctx.where(members))
            .orderBy(asc(members.createdAt), asc(members.id))
        ).map(toMember),
      ),

    getByUserId: (userId) =>
      ctx.read(async (db) => {
        const [row] = await db
          .select()
          .from(members)
          .where(ctx.where(members, eq(members.userId, userId)));
        return row ? toMember(row) : null;
      }),

    add: (input) =>
      ctx.write(async (db, emit) => {
        const [row] = await db
          .insert(members)
          .values(ctx.owned({ id: newId('mem'), ...input }))
          .returning();
        emit({ projectId: null, entity: 'member', id: row!.id, op: 'insert' });
        return toMember(row!);
      }),
  };
}
