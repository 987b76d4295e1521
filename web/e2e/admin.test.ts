import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { withTx } from '../../server/src/db/tx';
import { sanctionUser } from '../../server/src/moderation/actions';
import { makeAccount, makeCategory, makeThread } from '../../server/test/factories';
import { api, browserTestApp, E2E_PASSWORD, openAccountMenu, shoot } from './browser';

const app = browserTestApp();
const PASSWORD = E2E_PASSWORD;

const signedIn = app.signedIn;

/** The slugs of the category rows, top to bottom (sub-categories under their parent). */
const rowSlugs = (page: Page) =>
  page.locator('[data-testid=category-admin-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-slug')));

describe('admin screens in the browser', () => {
  it('an admin creates a sub-category, reorders categories, changes a role and finds both in the audit log', async () => {
    const phones = await makeCategory(app.t, { slug: 'phones', name: 'Phones', description: 'Every phone we make' });
    await makeCategory(app.t, { slug: 'phones-nova', name: 'Nova series', parentId: phones.id });
    const tv = await makeCategory(app.t, { slug: 'tv', name: 'TV', locale: null });
    await makeCategory(app.t, { slug: 'espanol', name: 'Español', locale: 'es' });
    const fan = await makeAccount(app.t, { username: 'fan_flo', password: PASSWORD });
    await makeThread(app.t, fan, { categoryId: tv.id, title: 'Which TV stand fits the 65 inch' });
    const admin = await makeAccount(app.t, { username: 'admin_ada', password: PASSWORD, role: 'admin' });
    const loud = await makeAccount(app.t, { username: 'loud_lee', password: PASSWORD });
    await withTx(app.t.db, (tx) =>
      sanctionUser(tx, admin, loud.id, { kind: 'silence', days: 2, reason: 'Shouting in every thread' }, null),
    );

    const ada = await signedIn('admin_ada');
    await openAccountMenu(ada.page);
    await ada.page.click('[data-testid=nav-admin]');
    await ada.page.waitForURL(/\/admin\/users$/);
    await ada.page.locator('[data-testid=admin-user-row]').first().waitFor();
    await ada.page
      .locator('[data-testid=admin-user-row][data-username=loud_lee] [data-testid=user-silenced]')
      .waitFor();
    await shoot(ada.page, 'admin-users');

    // categories: a new sub-category of Phones
    await ada.page.click('[data-testid=admin-tab-categories]');
    const phonesNode = ada.page.locator('.category-admin-node', { has: ada.page.locator('[data-slug=phones]') });
    await phonesNode.locator('[data-testid=category-add-child]').click();
    const form = phonesNode.locator('[data-testid=category-form]');
    await form.locator('input[name=name]').fill('Nova Pro accessories');
    expect(await form.locator('input[name=slug]').inputValue()).toBe('nova-pro-accessories');
    await form.locator('input[name=locale]').fill('pt_BR');
    expect(await form.locator('[data-testid=category-save]').isDisabled()).toBe(true); // not a language tag
    await form.locator('input[name=locale]').fill('pt-BR');
    await form.locator('textarea[name=description]').fill('Cases, chargers and cables');
    await shoot(ada.page, 'admin-category-form');
    await form.locator('[data-testid=category-save]').click();
    await phonesNode.locator('[data-testid=category-admin-row][data-slug=nova-pro-accessories]').waitFor();
    expect(await rowSlugs(ada.page)).toEqual(['phones', 'phones-nova', 'nova-pro-accessories', 'tv', 'espanol']);

    // reorder: the new one first among Phones' children, TV above Phones
    await phonesNode.locator('[data-slug=nova-pro-accessories] [data-testid=category-up]').click();
    await expect
      .poll(() => rowSlugs(ada.page))
      .toEqual(['phones', 'nova-pro-accessories', 'phones-nova', 'tv', 'espanol']);
    await ada.page.locator('[data-slug=tv] [data-testid=category-up]').click();
    await expect
      .poll(() => rowSlugs(ada.page))
      .toEqual(['tv', 'phones', 'nova-pro-accessories', 'phones-nova', 'espanol']);
    // a category with threads is not deleted: the server's 409 is shown
    await ada.page.locator('[data-slug=tv] [data-testid=category-delete]').click();
    await ada.page.locator('[data-testid=category-delete-confirm]').click();
    await ada.page.locator('.category-delete [data-testid=form-error]:has-text("still has threads")').waitFor();
    await shoot(ada.page, 'admin-categories');
    await ada.page.locator('.category-delete button.button-secondary').click();

    // the home page follows the new order
    await ada.page.goto(`${app.t.baseUrl}/`);
    await ada.page.locator('[data-testid=category-link]').first().waitFor();
    const homeOrder = await ada.page
      .locator('[data-testid=category-link]')
      .evaluateAll((links) => links.map((l) => l.textContent));
    expect(homeOrder).toEqual(['TV', 'Phones', 'Español']);
    const subs = await ada.page
      .locator('[data-testid=category-card]', { hasText: 'Every phone we make' })
      .locator('.subcategory-list a')
      .evaluateAll((links) => links.map((l) => l.textContent));
    expect(subs).toEqual(['Nova Pro accessories', 'Nova series']);

    // a member's role: search, open, change
    await ada.page.goto(`${app.t.baseUrl}/admin/users`);
    await ada.page.fill('[data-testid=admin-user-search]', 'FAN_F');
    await expect
      .poll(() =>
        ada.page
          .locator('[data-testid=admin-user-row]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-username'))),
      )
      .toEqual(['fan_flo']);
    await ada.page.click('[data-testid=admin-user-row][data-username=fan_flo] a');
    const detail = ada.page.locator('[data-testid=admin-user-detail]');
    await detail.locator('[data-testid=admin-user-email]:has-text("fan_flo@example.com")').waitFor();
    await detail.locator('[data-testid=member-moderation]').waitFor();
    await detail.locator('[data-testid=role-select]').selectOption('moderator');
    await detail.locator('[data-testid=role-save]').click();
    await detail.locator('[data-testid=role-saved]:has-text("Moderator")').waitFor();
    await detail.locator('[data-testid=admin-user-role]:has-text("Moderator")').waitFor();
    await shoot(ada.page, 'admin-user-detail');
    expect((await api(ada.page, 'GET', '/api/admin/users?q=fan_flo')).body.items[0].role).toBe('moderator');
    // one's own role is not offered
    await ada.page.goto(`${app.t.baseUrl}/admin/users/${admin.id}`);
    await ada.page.locator('[data-testid=admin-user-detail]').waitFor();
    expect(await ada.page.locator('[data-testid=role-form]').count()).toBe(0);

    // the audit log has both, readable
    await ada.page.click('[data-testid=admin-tab-audit]');
    const role = ada.page.locator('[data-testid=audit-entry][data-action="user.role_changed"]');
    await role.waitFor();
    expect(await role.textContent()).toContain('admin_ada changed a role: fan_flo');
    expect(await role.textContent()).toContain('Role: Member → Moderator');
    const reordered = ada.page.locator('[data-testid=audit-entry][data-action="category.reordered"]');
    expect(await reordered.count()).toBe(2);
    expect(await reordered.first().textContent()).toContain('New order: TV, Phones, Español');
    expect(await reordered.nth(1).textContent()).toContain('Sub-categories of Phones');
    expect(await reordered.first().textContent()).toContain('Top-level categories');
    await ada.page
      .locator('[data-testid=audit-entry][data-action="category.created"]:has-text("Nova Pro accessories")')
      .waitFor();
    await shoot(ada.page, 'admin-audit');

    // filtered: only role changes
    await ada.page.selectOption('#audit-action', 'user.role_changed');
    await ada.page.click('[data-testid=audit-apply]');
    await reordered.first().waitFor({ state: 'detached' });
    expect(await ada.page.locator('[data-testid=audit-entry]').count()).toBe(1);
    // nothing matches: the empty state
    await ada.page.fill('#audit-actor', 'nobody_here');
    await ada.page.click('[data-testid=audit-apply]');
    await ada.page.locator('[data-testid=empty-state]').waitFor();

    // in Spanish
    await ada.page.goto(`${app.t.baseUrl}/admin/audit`);
    await openAccountMenu(ada.page);
    await ada.page.selectOption('[data-testid=locale-select]', 'es');
    await ada.page
      .locator('[data-testid=audit-entry][data-action="user.role_changed"]:has-text("cambió un rol")')
      .waitFor();
    await ada.page.locator('[data-testid=admin-tab-audit]:text-is("Auditoría")').waitFor();
    await shoot(ada.page, 'admin-audit-es');
    await openAccountMenu(ada.page);
    await ada.page.selectOption('[data-testid=locale-select]', 'en');

    expect(ada.problems).toEqual([]);
    await ada.context.close();
  });

  it('shows a moderator the users tab only, without emails or role changes', async () => {
    await makeAccount(app.t, { username: 'mod_mia', password: PASSWORD, role: 'moderator' });
    await makeAccount(app.t, { username: 'quiet_quinn', password: PASSWORD });
    const mia = await signedIn('mod_mia');
    await openAccountMenu(mia.page);
    await mia.page.click('[data-testid=nav-admin]');
    await mia.page.locator('[data-testid=admin-user-row][data-username=quiet_quinn]').waitFor();
    expect(await mia.page.locator('[data-testid=admin-tab-users]').count()).toBe(1);
    expect(await mia.page.locator('[data-testid=admin-tab-categories]').count()).toBe(0);
    expect(await mia.page.locator('[data-testid=admin-tab-audit]').count()).toBe(0);
    expect(await mia.page.locator('[data-field=email]').count()).toBe(0);
    await mia.page.click('[data-testid=admin-user-row][data-username=quiet_quinn] a');
    await mia.page.locator('[data-testid=admin-user-detail] [data-testid=member-moderation]').waitFor();
    // a sanction from the panel shows in the panel and the list
    const panel = mia.page.locator('[data-testid=admin-user-detail] [data-testid=member-moderation]');
    await panel.locator('[data-testid=sanction-form] input[name=days]').fill('1');
    await panel.locator('[data-testid=sanction-form] input[name=reason]').fill('Cooling off');
    await panel.locator('[data-testid=sanction-form] button[type=submit]').click();
    await mia.page.locator('[data-testid=admin-user-standing] [data-testid=user-silenced]').waitFor();
    await mia.page
      .locator('[data-testid=admin-user-row][data-username=quiet_quinn] [data-testid=user-silenced]')
      .waitFor();
    expect(await mia.page.locator('[data-testid=role-form]').count()).toBe(0);
    expect(await mia.page.locator('[data-testid=admin-user-email]').count()).toBe(0);
    await mia.page.goto(`${app.t.baseUrl}/admin/audit`);
    await mia.page.locator('[data-testid=admin-forbidden]').waitFor();

    // a member has no Admin link and is refused the page
    const quinn = await signedIn('quiet_quinn');
    expect(await quinn.page.locator('[data-testid=nav-admin]').count()).toBe(0);
    await quinn.page.goto(`${app.t.baseUrl}/admin`);
    await quinn.page.locator('[data-testid=admin-forbidden]').waitFor();
    for (const session of [mia, quinn]) {
      expect(session.problems).toEqual([]);
      await session.context.close();
    }
  });
});
