# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An API integration (TPP's OAuth "application") and the rules that say who may use it: read, plan, apply.

``UpdateApplication`` replaces the whole object, so a change is always read-modify-write: the plan starts
from what TPP holds and sends it back complete. Each allowed identity is one rule whose scope is the
integration's scope and whose lifetimes are unset, so the integration's token and grant validity apply.
"""

from ansible_collections.venafi_tpp.auth.plugins.module_utils._durations import format_duration, parse_duration
from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils import _grants
from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import IdentityDirectory, check_names
from ansible_collections.venafi_tpp.auth.plugins.module_utils._scopes import normalize_scope

APPLICATION_FIELDS = ('ID', 'Name', 'Description', 'Vendor', 'Url', 'Scope', 'MaximumScope',
                      'AccessValidity', 'GrantValidity', 'Renewable', 'UnusedExpiration')
TEXT_FIELDS = ('Name', 'Description', 'Vendor', 'Url')
LIFETIME_FIELDS = ('AccessValidity', 'GrantValidity', 'Renewable')
RULE_DESCRIPTION = 'Allowed by venafi_tpp.auth.api_integration'
# An option value that puts a lifetime back to TPP's global default (null on the integration).
DEFAULT = 'default'
# Option name -> application field, for the options that describe the integration itself.
OPTION_FIELDS = (('name', 'Name'), ('vendor', 'Vendor'), ('description', 'Description'), ('info_url', 'Url'),
                 ('token_validity', 'AccessValidity'), ('grant_validity', 'GrantValidity'), ('refresh', 'Renewable'),
                 ('unused_token_expiration', 'UnusedExpiration'))


def _scope(text):
    """A scope as TPP returned it, normalised without the scope map (a newer TPP may know more)."""
    return normalize_scope(text or '', check=False)


def _lifetime(value):
    """A validity as TPP returned it: seconds, or None for unset (0 counts as unset)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _key(universal):
    return (universal or '').lower()


# -- reading ------------------------------------------------------------------------------------

def get_integration(api, client_id):
    """The application with this client_id (ID, case-sensitive), or None when TPP has none."""
    data = api.call('GetApplication', {'ApplicationId': client_id}, 'reading the API integration %s' % client_id, allow=(2,))
    if data.get('Success') is not True:
        return None
    found = [app for app in data.get('Applications') or () if isinstance(app, dict) and app.get('ID') == client_id]
    return found[0] if found else None


def list_integrations(api):
    """Every application TPP holds."""
    data = api.call('GetApplications', {}, 'listing the API integrations')
    return [app for app in data.get('Applications') or () if isinstance(app, dict) and app.get('ID')]


def get_rules(api, directory, client_id=None):
    """The rules of one application (all of them when ``client_id`` is None); the trustees' identities go to ``directory``."""
    body = {'ResolveIdentities': True}
    if client_id is not None:
        body['ApplicationId'] = client_id
    data = api.call('GetRules', body, 'reading who may use the API integration %s' % client_id if client_id else 'reading the rules of the API integrations')
    directory.learn(data.get('IdentityEntries'))
    return [rule for rule in data.get('Rules') or ()
            if isinstance(rule, dict) and rule.get('TrusteePrefixedUniversal') and (client_id is None or rule.get('ApplicationId') == client_id)]


def counts(api, app):
    """(active grants, people with active grants): the application's own fields, else GrantCount and UserCount."""
    found = []
    for field in ('GrantCount', 'UserCount'):
        value = app.get(field)
        if not isinstance(value, int) or isinstance(value, bool):
            value = api.call(field, {'ApplicationId': app['ID']},
                             'counting the %s of the API integration %s' % ('grants' if field == 'GrantCount' else 'users', app['ID'])).get('Count')
        found.append(value)
    return tuple(found)


def read_integrations(api, client_id=None):
    """The views of one integration (none when it does not exist), or of all when ``client_id`` is None, sorted by client_id."""
    directory = IdentityDirectory(api)
    if client_id is not None:
        found = get_integration(api, client_id)
        apps = [found] if found is not None else []
    else:
        apps = list_integrations(api)
    rules = get_rules(api, directory, client_id) if apps else []
    return [integration_view(app, [rule for rule in rules if rule.get('ApplicationId') == app['ID']], directory, *counts(api, app))
            for app in sorted(apps, key=lambda item: item['ID'])]


def check_name(current, name, client_id, deleting=False):
    """TppError when the integration ``current`` is not named ``name`` (None: not asked): two tasks most likely claim one client_id."""
    if name is None or (current.get('Name') or '') == name:
        return
    if deleting:
        raise TppError("client_id %s belongs to the API integration named '%s', not '%s'; not deleting it. Give its name, or only client_id"
                       % (client_id, current.get('Name') or '', name))
    raise TppError("client_id %s already belongs to the API integration named '%s', not '%s'; give another client_id, "
                   "or set rename: true to rename that integration" % (client_id, current.get('Name') or '', name))


# -- views --------------------------------------------------------------------------------------

def identity_view(rule, directory):
    """An allowed identity: its name and universal, and the rule's own scope and lifetimes (None: the integration's)."""
    identity = directory.by_universal(rule['TrusteePrefixedUniversal'])
    return {'name': identity['name'], 'universal': rule['TrusteePrefixedUniversal'], 'scope': _scope(rule.get('MaximumScope')),
            'token_validity': _lifetime(rule.get('AccessValidity')), 'grant_validity': _lifetime(rule.get('GrantValidity')),
            'refresh': rule.get('Renewable')}


def integration_view(app, rules, directory, grant_count=None, user_count=None):
    """The integration as the modules return it: every field, and its allowed identities by name and universal."""
    identities = sorted((identity_view(rule, directory) for rule in rules), key=lambda view: (view['name'] or view['universal']).lower())
    return {
        'client_id': app['ID'],
        'name': app.get('Name') or '',
        'vendor': app.get('Vendor') or '',
        'description': app.get('Description') or '',
        'info_url': app.get('Url') or '',
        'scope': _scope(app.get('MaximumScope')),
        'minimum_scope': _scope(app.get('Scope')),
        'token_validity': _lifetime(app.get('AccessValidity')),
        'grant_validity': _lifetime(app.get('GrantValidity')),
        'refresh': app.get('Renewable'),
        'unused_token_expiration': _lifetime(app.get('UnusedExpiration')),
        'allowed_identities': identities,
        'grant_count': grant_count,
        'user_count': user_count,
    }


def diff_view(view):
    """What ``--diff`` shows: the integration's fields, and its identities by name.

    An identity's rule settings are shown after its name only where they differ from the integration's.
    """
    if not view:
        return {}
    shown = dict((key, value) for key, value in view.items() if key not in ('allowed_identities', 'grant_count', 'user_count'))
    identities = []
    for identity in view['allowed_identities']:
        own = ['%s %s' % (key, identity[key]) for key in ('token_validity', 'grant_validity', 'refresh') if identity[key] is not None]
        if identity['scope'] != view['scope']:
            own.insert(0, "scope '%s'" % identity['scope'])
        identities.append((identity['name'] or identity['universal']) + (' (rule: %s)' % ', '.join(own) if own else ''))
    shown['allowed_identities'] = identities
    return shown


def diff_views(before, after):
    """What ``--diff`` shows of the integration ``before`` and ``after`` ({} where there is none)."""
    return diff_view(before), diff_view(after)


def integration_options(view):
    """The integration's view in api_integration's option form, as a declaration gives it: no read-only field, the allowed
    identities by name, and DEFAULT for a lifetime that follows TPP's global default (so that applying it sets it back)."""
    options = dict((key, view[key]) for key in ('name', 'client_id', 'vendor', 'description', 'info_url', 'scope'))
    for key in ('token_validity', 'grant_validity', 'unused_token_expiration'):
        options[key] = DEFAULT if view[key] is None else view[key]
    if view['refresh'] is not None:
        options['refresh'] = view['refresh']
    options['allowed_identities'] = [identity['name'] or identity['universal'] for identity in view['allowed_identities']]
    return options


def client_json(view, url):
    """The client JSON that the integration's users need: ``{"client_id", "scope", "url"}``, never a secret."""
    return {'client_id': view['client_id'], 'scope': view['scope'], 'url': url}


# -- checking the options, before any request -----------------------------------------------------

def wanted_settings(params, prefix=''):
    """The integration's settings that ``params`` (api_integration's options) give, checked and normalised before any request.

    None keeps the current value. ``allowed_identities`` is checked too (prefixes, de-duplicated). ``prefix`` goes before
    each option's name in the errors, for variables named after the options (the role's are ``integration_bootstrap_*``).
    """
    wanted = dict((option, params.get(option)) for option in ('name', 'vendor', 'description', 'info_url', 'refresh'))
    if params.get('scope') is not None:
        try:
            wanted['scope'] = normalize_scope(params['scope'])
        except TppError as error:
            if not prefix:
                raise
            raise error.reworded('%sscope: %s' % (prefix, error.message)) from None
        if not wanted['scope']:
            raise TppError('%sscope must not be empty: give the scope the integration allows, for example certificate:discover,manage' % prefix)
    for option in ('token_validity', 'grant_validity', 'unused_token_expiration'):
        value = params.get(option)
        if isinstance(value, str) and value.strip().lower() == DEFAULT:
            wanted[option] = DEFAULT
        elif value is not None:
            wanted[option] = parse_duration(value, prefix + option)
    check_lifetimes(wanted.get('token_validity'), wanted.get('grant_validity'), prefix=prefix)
    names = params.get('allowed_identities')
    wanted['allowed_identities'] = check_names(names, prefix + 'allowed_identities') if names is not None else None
    return wanted


def check_lifetimes(token_validity, grant_validity, on_tpp=(), client_id=None, prefix=''):
    """A token cannot outlive its grant: TppError when the token validity is longer than the grant validity.

    Checked when both are seconds; DEFAULT or None (TPP's global default, unknown here) is not. ``on_tpp`` names the
    option whose value is the integration's current one on TPP (``client_id``), not given by the task.
    """
    if not isinstance(token_validity, int) or not isinstance(grant_validity, int) or token_validity <= grant_validity:
        return

    def shown(option, seconds):
        if option in on_tpp:
            return 'the %s of %s that the API integration %s has on TPP' % (option, format_duration(seconds), client_id)
        return '%s%s %s' % (prefix, option, format_duration(seconds))

    raise TppError('%s is longer than %s: a token cannot outlive its grant; give a shorter %stoken_validity or a longer %sgrant_validity'
                   % (shown('token_validity', token_validity), shown('grant_validity', grant_validity), prefix, prefix))


# -- planning -----------------------------------------------------------------------------------

def desired_application(current, client_id, wanted):
    """The complete application object to hold: ``current`` (None: a new one) with the ``wanted`` option values.

    ``wanted`` maps option names (``name``, ``vendor``, ``description``, ``info_url``, ``scope``, ``token_validity``,
    ``grant_validity``, ``refresh``, ``unused_token_expiration``) to values; None keeps the current value (or TPP's
    default for a new integration),
    and DEFAULT puts a lifetime back to the global default. ``scope`` is already normalised; it is both the
    integration's maximum scope and its (minimum) scope, as in the wizard's Base access. A token validity longer
    than the grant validity fails, also when one of the two is the integration's current one.
    """
    app = dict((field, (current or {}).get(field)) for field in APPLICATION_FIELDS)
    app['ID'] = client_id
    for field in TEXT_FIELDS:
        app[field] = app[field] or ''
    for option, field in OPTION_FIELDS:
        value = wanted.get(option)
        if value is not None:
            app[field] = None if value == DEFAULT else value
    if wanted.get('scope') is not None:
        app['Scope'] = app['MaximumScope'] = wanted['scope']
    elif current is None:
        raise TppError('scope is required to create the API integration %s: the scope its clients may request, '
                       'for example certificate:discover,manage' % client_id)
    for field in ('Scope', 'MaximumScope'):
        app[field] = _scope(app[field])
    for field in ('AccessValidity', 'GrantValidity', 'UnusedExpiration'):
        app[field] = _lifetime(app[field])
    # After the read, before any write: one of the two lifetimes may be the integration's current one.
    on_tpp = [option for option in ('token_validity', 'grant_validity') if wanted.get(option) is None]
    if len(on_tpp) < 2:
        check_lifetimes(app['AccessValidity'], app['GrantValidity'], on_tpp, client_id)
    return app


def _application_differs(current, desired):
    """True when TPP's application differs from the desired one, once both are normalised."""
    comparable = dict(current)
    for field in TEXT_FIELDS:
        comparable[field] = current.get(field) or ''
    for field in ('Scope', 'MaximumScope'):
        comparable[field] = _scope(current.get(field))
    for field in ('AccessValidity', 'GrantValidity', 'UnusedExpiration'):
        comparable[field] = _lifetime(current.get(field))
    return any(comparable.get(field) != desired[field] for field in APPLICATION_FIELDS)


def _rule_conforms(rule, scope):
    """True when the rule gives the integration's whole scope and leaves the lifetimes to the integration."""
    return (_scope(rule.get('MaximumScope')) == scope and _lifetime(rule.get('AccessValidity')) is None
            and _lifetime(rule.get('GrantValidity')) is None and rule.get('Renewable') is None)


def managed_rule(client_id, universal, scope, description=None):
    """The rule an allowed identity gets: the integration's whole scope, lifetimes unset (the integration's apply)."""
    return {'ApplicationId': client_id, 'TrusteePrefixedUniversal': universal, 'Description': description or RULE_DESCRIPTION,
            'MaximumScope': scope, 'AccessValidity': None, 'GrantValidity': None, 'Renewable': None}


class Plan:
    """What it takes to go from TPP's state to the wanted one, and both states."""

    def __init__(self, current, desired, rules, allowed=None, purge=True):
        """``current``: the application or None; ``desired``: from desired_application; ``rules``: the current rules;
        ``allowed``: identity views ({'name', 'universal'}) that must be allowed, None to leave the set as it is;
        ``purge``: remove every other identity's rule.

        A listed identity's rule gets the integration's whole scope and no lifetimes of its own. A rule kept
        without being listed stays as it is, except that one which gave the integration's whole scope follows
        a change of that scope, so that the identities allowed keep being allowed the whole integration.
        """
        self.current = current
        self.desired = desired
        self.before_rules = list(rules)
        if current is None:
            self.application_action = 'create'
        elif _application_differs(current, desired):
            self.application_action = 'update'
        else:
            self.application_action = None
        scope, client_id = desired['MaximumScope'], desired['ID']
        old_scope = _scope(current.get('MaximumScope')) if current is not None else scope
        wanted = set(_key(identity['universal']) for identity in allowed or ())
        self.rule_creates, self.rule_updates, self.rule_deletes, after = [], [], [], []
        for rule in rules:
            listed = _key(rule['TrusteePrefixedUniversal']) in wanted
            if allowed is not None and not listed and purge:
                self.rule_deletes.append(rule)
            elif (listed and not _rule_conforms(rule, scope)) or (not listed and old_scope != scope and _rule_conforms(rule, old_scope)):
                updated = managed_rule(client_id, rule['TrusteePrefixedUniversal'], scope, rule.get('Description'))
                self.rule_updates.append(updated)
                after.append(updated)
            else:
                after.append(rule)
        existing = set(_key(rule['TrusteePrefixedUniversal']) for rule in rules)
        for identity in allowed or ():
            if _key(identity['universal']) not in existing:
                created = managed_rule(client_id, identity['universal'], scope)
                self.rule_creates.append(created)
                after.append(created)
        self.after_rules = after

    def views(self, directory):
        """(before, after): the integration as the modules return it, before ({} for a new one) and after the plan.

        Both count the grants and users of before the plan (0 for a new integration).
        """
        if self.current is None:
            return {}, integration_view(self.desired, self.after_rules, directory, 0, 0)
        grants, users = self.current.get('GrantCount'), self.current.get('UserCount')
        return (integration_view(self.current, self.before_rules, directory, grants, users),
                integration_view(self.desired, self.after_rules, directory, grants, users))

    @property
    def changed(self):
        return bool(self.application_action or self.rule_creates or self.rule_updates or self.rule_deletes)

    def summary(self):
        """One line saying what the plan does, in the past tense ("created the API integration x, allowed 2 identities")."""
        parts = []
        if self.application_action:
            parts.append('%sd the API integration %s' % (self.application_action, self.desired['ID']))
        for verb, rules in (('allowed', self.rule_creates), ('updated the rules of', self.rule_updates), ('disallowed', self.rule_deletes)):
            if rules:
                parts.append('%s %d identit%s' % (verb, len(rules), 'y' if len(rules) == 1 else 'ies'))
        return ', '.join(parts) if parts else 'the API integration %s is as wanted' % self.desired['ID']


def plan_integration(api, directory, client_id, wanted, name=None, rename=False, purge=True):
    """The Plan for the integration ``client_id`` with the ``wanted`` settings (from wanted_settings), after reading it from TPP.

    An existing integration named other than ``name`` fails unless ``rename``. The identities in ``wanted`` are resolved
    with ``directory``, which learns those TPP's rules name first.
    """
    current = get_integration(api, client_id)
    if current is not None and not rename:
        check_name(current, name, client_id)
    rules = get_rules(api, directory, client_id) if current is not None else []
    return plan_changes(current, rules, directory, client_id, wanted, purge)


def plan_changes(current, rules, directory, client_id, wanted, purge=True):
    """The Plan from TPP's application ``current`` (None: none) and its ``rules`` to the ``wanted`` settings: the comparison.

    An identity ``directory`` cannot resolve fails.
    """
    names = wanted['allowed_identities']
    allowed = directory.resolve(names) if names is not None else None
    return Plan(current, desired_application(current, client_id, wanted), rules, allowed, purge)


def held_state(view):
    """(application, rules): what TPP holds, rebuilt from the integration's view (``integration_view``'s inverse, up to the
    normalisation the comparison applies anyway), for plan_changes without a request."""
    app = {'ID': view['client_id'], 'Scope': view.get('minimum_scope'), 'MaximumScope': view.get('scope')}
    for option, field in OPTION_FIELDS:
        app[field] = view.get(option)
    rules = [{'ApplicationId': view['client_id'], 'TrusteePrefixedUniversal': identity['universal'], 'MaximumScope': identity.get('scope'),
              'AccessValidity': identity.get('token_validity'), 'GrantValidity': identity.get('grant_validity'),
              'Renewable': identity.get('refresh')}
             for identity in view.get('allowed_identities') or () if identity.get('universal')]
    return app, rules


# -- applying -----------------------------------------------------------------------------------

def _create_body(app):
    body = dict((field, app[field]) for field in APPLICATION_FIELDS if field not in ('ID', 'UnusedExpiration'))
    body['ApplicationId'] = app['ID']
    # Optional on create: leaving them out lets TPP apply its global defaults.
    for field in LIFETIME_FIELDS:
        if body[field] is None:
            del body[field]
    return body


def apply_plan(api, plan, directory):
    """Send the plan's writes: the whole application first, then the rules."""
    client_id = plan.desired['ID']
    if plan.application_action == 'create':
        api.call('CreateApplication', _create_body(plan.desired), 'creating the API integration %s' % client_id)
    # CreateApplication takes no UnusedExpiration (Venafi's OpenAPI contract), so a new integration gets it by an update.
    if plan.application_action == 'update' or (plan.application_action == 'create' and plan.desired['UnusedExpiration'] is not None):
        api.call('UpdateApplication', {'Application': dict(plan.desired)}, 'updating the API integration %s' % client_id)

    def who(rule):
        identity = directory.by_universal(rule['TrusteePrefixedUniversal'])
        return identity['name'] or identity['universal']

    for rule in plan.rule_updates:
        api.call('UpdateRule', {'Rule': rule}, 'updating the rule that lets %s use the API integration %s' % (who(rule), client_id))
    for rule in plan.rule_creates:
        body = dict((field, value) for field, value in rule.items() if value is not None)
        api.call('CreateRule', body, 'allowing %s to use the API integration %s' % (who(rule), client_id))
    for rule in plan.rule_deletes:
        api.call('DeleteRule', {'ApplicationId': client_id, 'TrusteePrefixedUniversal': rule['TrusteePrefixedUniversal']},
                 'removing %s from the API integration %s' % (who(rule), client_id))


def delete_integration(api, client_id, revoke_grants=False):
    """Delete the application (TPP deletes its rules with it), revoking its grants first when asked."""
    if revoke_grants:
        _grants.revoke_grants(api, _grants.GrantQuery(client_id=client_id))
    api.call('DeleteApplication', {'ApplicationId': client_id}, 'deleting the API integration %s' % client_id, allow=(2,))
