/**
 * Many realistic rules for the bench (YAML list items under `rules:`): each asks for a role by
 * title, and some for a level, remote work, a salary floor, a place or excluded words, so a few
 * percent of postings match each rule, as a team's many saved searches would.
 */
import { mulberry32 } from './corpus.js';

const TITLES = [
  ['backend engineer', 'backend developer'],
  ['frontend engineer'],
  ['full stack developer'],
  ['machine learning engineer', 'ML engineer'],
  ['data scientist'],
  ['data engineer'],
  ['devops engineer', 'site reliability engineer'],
  ['product manager'],
  ['product designer'],
  ['ios developer', 'android engineer'],
  ['security engineer'],
  ['engineering manager'],
  ['platform engineer'],
  ['solutions architect'],
];
const SENIORITY = ['senior+', 'staff+', 'junior', 'lead'];
const LOCATIONS = ['US', 'Canada', 'Germany', 'Berlin', 'London', 'Europe', 'New York', 'Netherlands'];
const EXCLUDES = ['crypto', 'web3', 'gambling', 'defense'];

/** `n` rules, all notifying the `mail` channel, deterministic. */
export function thousandRules(n: number): string {
  const rand = mulberry32(9);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  let yaml = '';
  for (let i = 0; i < n; i++) {
    yaml += `  - name: rule-${i}\n    title: ${JSON.stringify(pick(TITLES))}\n`;
    if (rand() < 0.5) yaml += `    seniority: ${pick(SENIORITY)}\n`;
    if (rand() < 0.4) yaml += '    remote: true\n';
    else if (rand() < 0.5) yaml += `    location: ${JSON.stringify([pick(LOCATIONS)])}\n`;
    if (rand() < 0.4) yaml += `    salary_min: ${80_000 + Math.floor(rand() * 8) * 10_000}\n`;
    if (rand() < 0.3) yaml += `    exclude: ${JSON.stringify([pick(EXCLUDES)])}\n`;
    yaml += '    notify: mail\n';
  }
  return yaml;
}
