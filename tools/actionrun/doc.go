// Package actionrun runs a composite GitHub Action (action.yml) on this
// machine as GitHub's runner would, for tests: it evaluates the inputs and
// the ${{ }} expressions the action uses, runs each run step with bash in a
// fake runner environment (GITHUB_*, RUNNER_* variables and files), applies
// GITHUB_OUTPUT and GITHUB_PATH, honours if: conditions, and hands uses:
// steps to functions the test supplies in place of the real actions
// (actions/cache, github/codeql-action/upload-sarif). GitHub is not
// reachable where fluxlint's tests run; this is how action.yml and
// scripts/action/*.sh are tested end to end.
//
// Expressions are limited to what fluxlint's action.yml needs: names
// (inputs.X, steps.ID.outputs.X, steps.ID.outcome, github.X, runner.X),
// string literals, == and !=, &&, and the status functions success(),
// failure(), always(), cancelled() with an optional !. Anything else is an
// error, so a new expression in action.yml fails the test until the runner
// understands it.
package actionrun
