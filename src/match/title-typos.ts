/**
 * Title words no title uses. A role word is matched literally against titles, so "ML enginer" or
 * "ML engineer blorf" compiles and then never matches anything: a silent failure. Each title word
 * of a rule (query or `title:`) is checked against the words seen in job titles
 * (title-vocabulary.ts): one that is not there but is one or two letters away from a common
 * job-title word is reported with the word probably meant; any other is reported by name. Both are
 * warnings, not errors: a rare real title word ("Perfumer") must stay usable. Numbers and words of
 * other scripts are not judged.
 */
import { editDistance } from '../config/suggest.js';
import type { CompiledRule } from './compile-rule.js';
import { tokenize } from './title-terms.js';
import { isTitleWord } from './title-vocabulary.js';

const COMMON_TITLE_WORDS = [
  'engineer', 'engineering', 'developer', 'development', 'scientist', 'science', 'analyst', 'analytics', 'manager',
  'management', 'designer', 'design', 'architect', 'architecture', 'machine', 'learning', 'data', 'software', 'senior',
  'junior', 'staff', 'principal', 'director', 'product', 'frontend', 'backend', 'fullstack', 'platform', 'infrastructure',
  'security', 'mobile', 'research', 'researcher', 'devops', 'reliability', 'operations', 'administrator', 'consultant',
  'specialist', 'lead', 'head', 'intern', 'internship', 'marketing', 'sales', 'support', 'customer', 'success', 'account',
  'executive', 'recruiter', 'writer', 'editor', 'quality', 'assurance', 'tester', 'embedded', 'firmware', 'hardware',
  'network', 'cloud', 'database', 'systems', 'applied', 'computer', 'vision', 'language', 'natural', 'processing',
  'deep', 'artificial', 'intelligence', 'technical', 'program', 'project', 'growth', 'content', 'graphic', 'visual',
  'brand', 'finance', 'financial', 'accountant', 'counsel', 'people', 'talent', 'recruiting', 'coordinator', 'associate',
  'assistant', 'officer', 'president', 'partner', 'solutions', 'services', 'technology', 'technician', 'mechanical',
  'electrical', 'civil', 'chemical', 'biology', 'clinical', 'medical', 'health', 'nurse', 'teacher', 'instructor',
  'android', 'python', 'javascript', 'typescript', 'golang', 'kotlin', 'swift', 'ruby', 'rails', 'react', 'node',
  'generative', 'reinforcement', 'robotics', 'autonomy', 'perception', 'search', 'ranking', 'recommendation', 'payments',
  'site', 'full', 'front', 'back', 'stack', 'engineers', 'developers', 'scientists', 'analysts', 'managers',
  'marketer', 'automation', 'integration', 'implementation', 'sre', 'salesforce', 'shopify', 'wordpress', 'unity', 'game',
  'gameplay', 'graphics', 'compiler', 'kernel', 'linux', 'windows', 'ios', 'web', 'api', 'apis', 'ai', 'ml',
];
const KNOWN = new Set(COMMON_TITLE_WORDS);

/** Warnings for title words of a compiled rule that no job title uses: likely misspellings, or unknown words. */
export function titleWordWarnings(rule: CompiledRule): string[] {
  const warnings: string[] = [];
  for (const phrase of rule.titleAny ?? []) {
    for (const term of phrase) {
      if (term.exact) continue; // a quoted phrase is meant exactly as written
      for (const word of tokenize(term.text)) {
        if (KNOWN.has(word) || isTitleWord(word) || /\d/.test(word) || !/^[a-z+#]+$/.test(word)) continue;
        const meant = word.length >= 5 ? closestCommonWord(word) : null;
        warnings.push(
          meant
            ? `title word "${word}" is not a common job-title word: did you mean "${meant}"? (titles are matched word for word)`
            : `title word "${word}" is not a word seen in job titles, so only titles containing it will match (check the spelling; a place goes after "in", a salary after ">=")`,
        );
      }
    }
  }
  return [...new Set(warnings)];
}

/** The common word one edit away (two for long words), or null: further than that is another word, not a typo. */
function closestCommonWord(word: string): string | null {
  const limit = word.length >= 8 ? 2 : 1;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of COMMON_TITLE_WORDS) {
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
