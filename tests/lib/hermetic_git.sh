# shellcheck shell=bash
# Hermetic git for script tests: a private HOME with its own global config,
# no system config, no prompts, English messages, and none of the variables
# of a surrounding git server or hook that would change what akgate sees.
# Sourced, not run:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/../lib/hermetic_git.sh"
#   hermetic_git "$T/home" "Test Dev" dev@example.com
#
# hermetic_git HOME_DIR [USER_NAME [USER_EMAIL]]
hermetic_git() {
  export HOME="$1" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 LC_ALL=C.UTF-8
  unset GIT_DIR GIT_WORK_TREE GL_USERNAME GITEA_PUSHER_NAME GL_USER REMOTE_USER AKGATE_POLICY \
        GIT_SSH GIT_SSH_COMMAND
  mkdir -p "$HOME"
  git config --global user.name "${2:-Test Dev}"
  git config --global user.email "${3:-dev@example.com}"
  git config --global init.defaultBranch main
  git config --global protocol.file.allow always
  git config --global advice.detachedHead false
}
