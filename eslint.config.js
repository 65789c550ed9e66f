// The front end's linter: every module in widgets/static and the classroom template's script,
// as the browser runs them (ES modules, or a plain script for the template and the dashboard), and the unit tests.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["widgets/static/**/*.js"],
    languageOptions: { sourceType: "module", globals: globals.browser },
    rules: { "no-unused-vars": ["error", { args: "none" }], "no-empty": ["error", { allowEmptyCatch: true }] },
  },
  {
    files: ["lessons/share/**/*.js", "lessons/web/**/*.js"],
    languageOptions: { sourceType: "script", globals: globals.browser },
    rules: { "no-unused-vars": ["error", { args: "none" }], "no-empty": ["error", { allowEmptyCatch: true }] },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
