/** Item keys of the single-table designs described in functions/definitions.ts. */
export const galleryKeys = {
  identity: (subjectId: string) => ({ pk: `SUBJECT#${subjectId}`, sk: 'IDENTITY' }),
  fingers: (subjectId: string) => ({ pk: `SUBJECT#${subjectId}`, sk: 'FINGERS' }),
  indexBucket: (key: string) => ({ pk: `INDEX#${key}`, sk: 'BUCKET' }),
};

export const recordKeys = {
  partition: (submissionId: string) => `BOOKING#${submissionId}`,
  submission: (submissionId: string) => ({ pk: `BOOKING#${submissionId}`, sk: 'SUBMISSION' }),
  record: (submissionId: string, version: number) => ({
    pk: `BOOKING#${submissionId}`,
    sk: `RECORD#v${String(version).padStart(4, '0')}`,
  }),
  recordPrefix: 'RECORD#v',
  matchCase: (submissionId: string) => ({ pk: `BOOKING#${submissionId}`, sk: 'CASE' }),
  audit: (submissionId: string, at: string, action: string) => ({
    pk: `BOOKING#${submissionId}`,
    sk: `AUDIT#${at}#${action}`,
  }),
};
