# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The revoke_at_exit callback: one line with the count, and whatever fails is a warning, never an exception."""

from unittest import mock

from ansible.plugins.loader import callback_loader

from ansible_collections.venafi_tpp.auth.plugins.callback import revoke_at_exit


def callback(tmp_path):
    plugin = callback_loader.get('venafi_tpp.auth.revoke_at_exit')
    plugin.set_options(direct={'cache_dir': str(tmp_path)})
    plugin._display = mock.Mock()  # pylint: disable=protected-access
    return plugin


def test_it_prints_one_line_with_the_count(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(revoke_at_exit, 'end_run_grants', lambda cache_dir, run, warn, backend_for: seen.append((cache_dir, run)) or 2)
    plugin = callback(tmp_path)
    plugin.v2_playbook_on_stats(None)
    assert seen == [(str(tmp_path), revoke_at_exit.run_id())]
    plugin._display.display.assert_called_once_with(  # pylint: disable=protected-access
        'venafi_tpp.auth.revoke_at_exit: revoked 2 grants that the access_token lookup obtained during this run')
    plugin._display.warning.assert_not_called()  # pylint: disable=protected-access


def test_an_unexpected_failure_is_a_warning(tmp_path, monkeypatch):
    def explode(*args):
        raise OSError('disk on fire')

    monkeypatch.setattr(revoke_at_exit, 'end_run_grants', explode)
    plugin = callback(tmp_path)
    plugin.v2_playbook_on_stats(None)
    plugin._display.warning.assert_called_once_with(  # pylint: disable=protected-access
        'venafi_tpp.auth.revoke_at_exit: could not revoke the grants of this run: disk on fire')


def test_an_empty_cache_directory_revokes_nothing(tmp_path):
    plugin = callback(tmp_path)
    plugin.v2_playbook_on_stats(None)
    plugin._display.display.assert_called_once_with(  # pylint: disable=protected-access
        'venafi_tpp.auth.revoke_at_exit: revoked 0 grants that the access_token lookup obtained during this run')
