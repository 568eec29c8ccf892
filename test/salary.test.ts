import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { annualize, extractSalary } from '../src/normalize/salary.js';
import type { Salary } from '../src/core/types.js';

function fromText(description: string): Salary | null {
  return extractSalary({ title: '', location: null, description });
}

function salary(min: number | null, max: number | null, currency: string | null, period: Salary['period']): Salary {
  return { min, max, currency, period };
}

// --- positives: each format, in real-looking posting sentences --------------------------------

const POSITIVES: ReadonlyArray<readonly [string, string, Salary]> = [
  ['"to" between two dollar amounts', 'The base salary range for this role is $135,000 to $180,000.', salary(135000, 180000, 'USD', 'year')],
  ['K suffix with an en dash', 'Compensation: $120K–$150K plus equity.', salary(120000, 150000, 'USD', 'year')],
  ['k suffix with a spaced hyphen', 'Salary: $120k - $150k depending on experience', salary(120000, 150000, 'USD', 'year')],
  ['em dash', 'Pay range $70,000—$90,000 USD annually.', salary(70000, 90000, 'USD', 'year')],
  ['ISO code before, stated period', 'USD 130,000 - 160,000 per year, plus benefits.', salary(130000, 160000, 'USD', 'year')],
  ['pounds with k on both ends', 'We offer £70k-£85k and 25 days holiday.', salary(70000, 85000, 'GBP', 'year')],
  ['European thousands dot', 'Jahresgehalt: €80.000 brutto.', salary(80000, 80000, 'EUR', 'year')],
  ['euro range per month with dots', 'Gehalt €4.500 - €5.500 per month.', salary(4500, 5500, 'EUR', 'month')],
  ['hourly with slash', 'Contract rate: $60-75/hr, 6 month engagement.', salary(60, 75, 'USD', 'hour')],
  ['"an hour"', 'This contract pays $60 - $75 an hour.', salary(60, 75, 'USD', 'hour')],
  ['hourly word before the range', 'Hourly rate: $60-75 depending on experience.', salary(60, 75, 'USD', 'hour')],
  ['decimal hourly', 'Starting pay is $25.50/hr for this support role.', salary(25.5, 25.5, 'USD', 'hour')],
  ['"up to" leaves min open', 'Salary up to $180k for exceptional candidates.', salary(null, 180000, 'USD', 'year')],
  ['"from" leaves max open', 'Compensation from $120k, depending on level.', salary(120000, null, 'USD', 'year')],
  ['trailing plus leaves max open', 'Base salary $150,000+ with great benefits.', salary(150000, null, 'USD', 'year')],
  ['bare k range near salary words', 'The salary range for this position is 130-160k.', salary(130000, 160000, null, 'year')],
  ['bare range with OTE', 'OTE 200-250k for top performers.', salary(200000, 250000, null, 'year')],
  ['base + equity keeps the base', 'We pay $150k base + equity.', salary(150000, 150000, 'USD', 'year')],
  ['"between ... and"', 'Pay is between $100k and $130k per year.', salary(100000, 130000, 'USD', 'year')],
  ['k on one end only', 'Salary: $120k - 150k.', salary(120000, 150000, 'USD', 'year')],
  ['K only after the second number', 'Compensation: $90-$110K.', salary(90000, 110000, 'USD', 'year')],
  ['per annum', 'Salary £45,000 - £55,000 per annum.', salary(45000, 55000, 'GBP', 'year')],
  ['p.a. with no currency', 'Salary 45k p.a. plus pension.', salary(45000, 45000, null, 'year')],
  ['/mo', 'Stipend-free contract at $4,000/mo for six months of salary.', salary(4000, 4000, 'USD', 'month')],
  ['monthly wording before', 'Monthly salary 4,000 - 5,000 EUR gross.', salary(4000, 5000, 'EUR', 'month')],
  ['day rate', 'Day rate: £500-£600/day outside IR35.', salary(500, 600, 'GBP', 'day')],
  ['weekly', 'Pay: $1,200/week during the internship.', salary(1200, 1200, 'USD', 'week')],
  ['annually after the range', 'Compensation is $95,000 - $110,000 annually.', salary(95000, 110000, 'USD', 'year')],
  ['"a year"', 'This role pays $90,000 a year.', salary(90000, 90000, 'USD', 'year')],
  ['CAD code after the range', 'Salary: $100,000 - $120,000 CAD.', salary(100000, 120000, 'CAD', 'year')],
  ['C$ prefix', 'Salary C$120,000 - C$140,000.', salary(120000, 140000, 'CAD', 'year')],
  ['CA$ prefix', 'Base pay CA$110k to CA$130k.', salary(110000, 130000, 'CAD', 'year')],
  ['plain $ becomes CAD when CAD is named near it', 'All amounts in CAD. Salary: $110k-$130k.', salary(110000, 130000, 'CAD', 'year')],
  ['AUD', 'Package A$140k - A$160k + super.', salary(140000, 160000, 'AUD', 'year')],
  ['US$', 'Salary: US$90,000 - US$110,000.', salary(90000, 110000, 'USD', 'year')],
  ['INR lakhs per annum', 'CTC: ₹25-30 LPA.', salary(2500000, 3000000, 'INR', 'year')],
  ['INR Indian digit grouping', 'Salary INR 12,00,000 - 18,00,000 per annum.', salary(1200000, 1800000, 'INR', 'year')],
  ['JPY', 'Annual salary ¥6,000,000 - ¥9,000,000.', salary(6000000, 9000000, 'JPY', 'year')],
  ['CHF with Swiss apostrophes', 'Salary: CHF 120\'000 - 150\'000.', salary(120000, 150000, 'CHF', 'year')],
  ['SEK with spaced thousands', 'Lön: SEK 50 000 - 60 000 per month.', salary(50000, 60000, 'SEK', 'month')],
  ['m suffix when pay-sized', 'Total compensation up to $1.2M for this executive role.', salary(null, 1200000, 'USD', 'year')],
];

for (const [name, text, expected] of POSITIVES) {
  test(`extractSalary() reads ${name}`, () => {
    assert.deepEqual(fromText(text), expected);
  });
}

// --- negatives: numbers that are not pay ------------------------------------------------------

const NEVER_SALARY: ReadonlyArray<readonly [string, string]> = [
  ['funding with a Series', 'We just closed a $50M Series B led by top investors.'],
  ['funding "raised"', 'The company has raised $20 million from investors.'],
  ['401(k)', 'Benefits include a 401(k) with company match.'],
  ['401k written without parentheses', 'We offer a generous 401k plan.'],
  ['learning budget', 'Every engineer gets a $5,000 learning budget.'],
  ['budget written before the amount', 'Annual learning budget of up to $2,000.'],
  ['home office stipend', 'Enjoy a $500 home office stipend.'],
  ['WFH allowance', 'We provide a $1,000 WFH allowance.'],
  ['ARR', 'We crossed $10M ARR last quarter.'],
  ['valuation', 'Our last round set a $2B valuation.'],
  ['revenue', 'A profitable business with $30 million in revenue.'],
  ['customer counts', 'Over 10,000 customers rely on our platform.'],
  ['user counts with a salary word nearby', 'We have a user base of 10,000 and a competitive salary.'],
  ['years of experience', 'You have 5+ years of experience with Python.'],
  ['a year range of experience near salary words', 'Salary commensurate with experience; 5-7 years required.'],
  ['a calendar year', 'Founded in 2015, we have grown every year since.'],
  ['a quarter', 'Start date: Q3 2025.'],
  ['a date', 'Apply by 03/15/2025.'],
  ['a phone number', 'Questions about pay? Call (555) 123-4567.'],
  ['a US zip code', 'Office: 123 Market St, San Francisco, CA 94105.'],
  ['a percentage', 'Annual bonus of 15% of salary.'],
  ['an equity percentage', 'Equity: 0.5% - 1% of the company.'],
  ['days off near "paid"', 'You get 20 days paid time off.'],
  ['a gift card without pay words', 'New hires get a $50 gift card.'],
  ['a weight in pounds', 'Must be able to lift 50 pounds.'],
  ['a count with no currency and no pay words', 'The team ships 130-160k lines of code a year.'],
  ['a signing bonus', 'Plus a $10,000 signing bonus.'],
];

for (const [name, text] of NEVER_SALARY) {
  test(`extractSalary() ignores ${name}`, () => {
    assert.equal(fromText(text), null);
  });
}

const NOT_PICKED: ReadonlyArray<readonly [string, string, Salary]> = [
  [
    'funding next to a real salary',
    'Backed by $50M in Series B funding, we pay $140,000 - $170,000.',
    salary(140000, 170000, 'USD', 'year'),
  ],
  [
    'budgets and stipends next to a real salary',
    'Perks: $5,000 annual learning budget, $500 home office stipend. Base salary: $120k-$150k.',
    salary(120000, 150000, 'USD', 'year'),
  ],
  ['customers next to a real salary', 'Over 10,000 customers trust us. Salary $95,000.', salary(95000, 95000, 'USD', 'year')],
  [
    'years of experience next to a bare range',
    'Requires 5+ years of experience; compensation 130-160k.',
    salary(130000, 160000, null, 'year'),
  ],
  ['a 401(k) after the range', 'Salary $85k - $95k + 401(k) match.', salary(85000, 95000, 'USD', 'year')],
  ['a signing bonus before the base', 'A $10,000 signing bonus and $150k base salary.', salary(150000, 150000, 'USD', 'year')],
  ['a bonus percentage after the range', '$120,000 - $150,000 + 10% bonus + equity.', salary(120000, 150000, 'USD', 'year')],
  ['a year before the salary', 'In 2023 we raised $20M. Salary: $130,000–$160,000.', salary(130000, 160000, 'USD', 'year')],
  ['hours per week after an hourly rate', '$40/hour, 40 hours/week.', salary(40, 40, 'USD', 'hour')],
  ['"CAD tools" is not the currency', 'Experience with CAD tools. Salary $80k.', salary(80000, 80000, 'USD', 'year')],
];

for (const [name, text, expected] of NOT_PICKED) {
  test(`extractSalary() skips ${name}`, () => {
    assert.deepEqual(fromText(text), expected);
  });
}

// --- several salaries, fields, seed ------------------------------------------------------------

test('extractSalary() takes the widest band of salaries per location', () => {
  const text = 'Compensation: $150k-$180k (NYC), $135k-$160k (Remote).';
  assert.deepEqual(fromText(text), salary(135000, 180000, 'USD', 'year'));
});

test('extractSalary() widens over levels', () => {
  const text = 'Level I: $90,000-$110,000. Level II: $110,000-$135,000.';
  assert.deepEqual(fromText(text), salary(90000, 135000, 'USD', 'year'));
});

test('extractSalary() keeps only the currency of the first salary found', () => {
  const text = 'US: $150k-$180k; UK: £90k-£110k.';
  assert.deepEqual(fromText(text), salary(150000, 180000, 'USD', 'year'));
});

test('extractSalary() keeps only the period of the first salary found', () => {
  const text = 'Employees: $120,000 - $140,000 per year. Contractors: $70-$90/hr.';
  assert.deepEqual(fromText(text), salary(120000, 140000, 'USD', 'year'));
});

test('extractSalary() looks at the title before the description', () => {
  const found = extractSalary({
    title: 'Senior Data Engineer (£80k-£95k)',
    location: 'London',
    description: 'Salary: $100k-$120k for the US team.',
  });
  assert.deepEqual(found, salary(80000, 95000, 'GBP', 'year'));
});

test('extractSalary() reads the location field', () => {
  const found = extractSalary({ title: 'Backend Engineer', location: 'Remote (US) · $140k–$170k', description: 'Great team.' });
  assert.deepEqual(found, salary(140000, 170000, 'USD', 'year'));
});

test('extractSalary() returns null when nothing is stated', () => {
  assert.equal(extractSalary({ title: 'Senior Engineer', description: 'Competitive salary and benefits.' }), null);
});

test('extractSalary() reads the seed posting, which states the range twice', () => {
  const description = readFileSync(new URL('./fixtures/seed-posting.txt', import.meta.url), 'utf8');
  const found = extractSalary({ title: 'Senior Machine Learning Engineer', location: 'Remote', description });
  assert.deepEqual(found, salary(135000, 180000, 'USD', 'year'));
});

// --- annualize ---------------------------------------------------------------------------------

test('annualize() multiplies hours by 2080', () => {
  assert.deepEqual(annualize(salary(60, 75, 'USD', 'hour')), { min: 124800, max: 156000 });
});

test('annualize() multiplies days by 260, weeks by 52, months by 12', () => {
  assert.deepEqual(annualize(salary(500, 600, 'GBP', 'day')), { min: 130000, max: 156000 });
  assert.deepEqual(annualize(salary(2000, null, 'USD', 'week')), { min: 104000, max: null });
  assert.deepEqual(annualize(salary(null, 5500, 'EUR', 'month')), { min: null, max: 66000 });
});

test('annualize() leaves yearly figures alone and rounds away float noise', () => {
  assert.deepEqual(annualize(salary(135000, 180000, 'USD', 'year')), { min: 135000, max: 180000 });
  assert.deepEqual(annualize(salary(25.55, 25.55, 'USD', 'hour')), { min: 53144, max: 53144 });
});
