# bash completion for git-secrets (git-secrets-rs).
#
# `git secrets <TAB>`: git's own completion calls `_git_secrets` (its `_git_<command>`
# convention) and loads this file by the name `git-secrets` on demand. `git-secrets <TAB>`:
# the `complete` line at the end. Installed by install.sh into
# <prefix>/share/bash-completion/completions/git-secrets.

__git_secrets_commands="--scan --scan-history --scan-range --install --list --add --add-provider --register-aws --aws-provider --register --check-registry --scan-repos --version --help-all"
__git_secrets_options="--recursive --cached --no-index --untracked --force --literal --allowed --global --format --output --no-redact --repository --aws-account-id --aws-region --baseline --update-baseline --verbose --pre-push --pre-receive --cache-dir --shard --shards --plan --checkpoint"
__git_secrets_packs="aws common"
__git_secrets_formats="human json jsonl sarif asff"

# Completions for the word `cur` after `prev`, given whether a command was already typed.
__git_secrets_reply() {
	local cur="$1" prev="$2" have_command="$3"
	case "$prev" in
	--format)
		COMPREPLY=($(compgen -W "$__git_secrets_formats" -- "$cur"))
		return ;;
	--register)
		COMPREPLY=($(compgen -W "$__git_secrets_packs" -- "$cur") $(compgen -f -X '!*.toml' -- "$cur"))
		return ;;
	--output|--baseline|--check-registry|--aws-provider|--scan-repos|--cache-dir|--checkpoint)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--scan-range)
		COMPREPLY=($(compgen -W "$(git for-each-ref --format='%(refname:short)' 2>/dev/null) HEAD" -- "$cur"))
		return ;;
	--repository|--aws-account-id|--aws-region)
		return ;;
	esac
	case "$cur" in
	--format=*)
		COMPREPLY=($(compgen -P "--format=" -W "$__git_secrets_formats" -- "${cur#--format=}"))
		return ;;
	-*)
		if [ "$have_command" = yes ]; then
			COMPREPLY=($(compgen -W "$__git_secrets_options" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$__git_secrets_commands $__git_secrets_options" -- "$cur"))
		fi
		return ;;
	esac
	COMPREPLY=($(compgen -f -- "$cur"))
}

# Whether one of the words is a command.
__git_secrets_have_command() {
	local w c
	for w in "$@"; do
		for c in $__git_secrets_commands; do
			[ "$w" = "$c" ] && { echo yes; return; }
		done
	done
	echo no
}

# Called by git's completion for `git secrets ...` (cur, prev and words are git's).
_git_secrets() {
	local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
	__git_secrets_reply "$cur" "$prev" "$(__git_secrets_have_command "${COMP_WORDS[@]:2:COMP_CWORD-2}")"
}

# `git-secrets ...` typed directly.
__git_secrets_main() {
	local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
	__git_secrets_reply "$cur" "$prev" "$(__git_secrets_have_command "${COMP_WORDS[@]:1:COMP_CWORD-1}")"
}
complete -o bashdefault -o default -F __git_secrets_main git-secrets
