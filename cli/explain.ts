import type { OutcomeRecord } from '#core/schemas';

/**
 * A record as text an officer or auditor can read: what was decided, under which policy, each rule
 * that fired in order, and the reasons. Only what the record holds (no personal data).
 */
export function explainRecord(record: OutcomeRecord): string {
  const lines = [
    `${heading(record)} for booking ${record.bookingNumber} (submission ${record.submissionId}), booked ${record.bookedAt}`,
    `Policy ${record.policy.id} ${record.policy.version}; decided ${record.decidedAt}; record version ${record.version} (${record.status}).`,
    `Biometric search: ${record.match.outcome}` +
      (record.match.subjectId ? `, subject ${record.match.subjectId}, score ${record.match.score}` : '') +
      '.',
    ...details(record),
    '',
    'Rules that fired, in order:',
    ...record.rulesFired.map((rule, i) => `  ${i + 1}. ${rule.id}: ${rule.description}`),
    '',
    'Reasons:',
    ...record.reasons.map((reason) => `  - ${reason}`),
    '',
    `Input hash (sha256 of the match result and policy): ${record.inputHash}`,
  ];
  return lines.join('\n');
}

function heading(record: OutcomeRecord): string {
  switch (record.type) {
    case 'detainer':
      return `DETAINER on form ${record.form.id} (${record.form.version})`;
    case 'discretion-review':
      return `DISCRETION REVIEW, ${record.priority} priority`;
    case 'biometric-verification':
      return 'BIOMETRIC VERIFICATION by an examiner';
    case 'no-action':
      return `NO ACTION (${record.reason})`;
  }
}

function details(record: OutcomeRecord): string[] {
  switch (record.type) {
    case 'detainer':
      return [
        `Offense level: ${record.level ?? 'none'}. Basis: ${record.basis.join(', ')}.`,
        record.hold.requested
          ? `Hold requested: up to ${record.hold.limitHours} hours` +
            `${record.hold.excludesWeekendsAndHolidays ? ', excluding weekends and federal holidays' : ''}` +
            `, until ${record.hold.deadline ?? 'not computed'}.`
          : 'No hold requested (notification only).',
        `Served copy in: ${record.languages.join(', ')}. Issued by ${record.issuingAgency} to ORI ${record.receivingAgencyOri}.`,
      ];
    case 'discretion-review':
      return [
        `Offense level: ${record.level ?? 'none'}. Review due ${record.reviewDueDate}.`,
        `Positive factors: ${record.positiveFactors.join(', ') || 'none found'}. Negative factors: ${record.negativeFactors.join(', ') || 'none found'}.`,
      ];
    case 'biometric-verification':
      return [
        `Candidates for the examiner: ${record.candidates.map((c) => `${c.subjectId} (${c.score})`).join(', ') || 'none'}.`,
      ];
    case 'no-action':
      return [];
  }
}
