/**
 * Likely misspellings in a rule's title words. A role word is matched literally against
 * titles, so "ML enginer" compiles and then never matches anything: a silent failure. A word
 * that is not a common job-title word but is one or two letters away from one is reported as
 * a warning with the word probably meant. Unusual but real words ("Solidity", "Kubernetes")
 * are far from every common word and pass untouched.
 */
import { editDistance } from '../config/suggest.js';
import type { CompiledRule } from './compile-rule.js';

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

/** Warnings for title words of a compiled rule that look like misspellings of common title words. */
export function titleTypoWarnings(rule: CompiledRule): string[] {
  const warnings: string[] = [];
  for (const phrase of rule.titleAny ?? []) {
    for (const term of phrase) {
      if (term.exact) continue; // a quoted phrase is meant exactly as written
      for (const word of term.text.toLowerCase().split(/[^a-z]+/)) {
        if (word.length < 5 || KNOWN.has(word)) continue;
        const meant = closestCommonWord(word);
        if (meant) warnings.push(`title word "${word}" is not a common job-title word: did you mean "${meant}"? (titles are matched word for word)`);
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
