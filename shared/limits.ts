/** Input limits shared by the server's validation and the client's forms. */
export const LIMITS = {
  usernameMin: 2,
  usernameMax: 32,
  passwordMin: 8,
  passwordMax: 200,
  titleMax: 200,
  subjectMax: 200,
  bodyMax: 60_000,
  forumDescriptionMax: 2_000,
  signatureMax: 500,
  locationMax: 100,
  fieldKeyMax: 40,
  fieldValueMax: 200,
  fieldsMax: 10,
  clientIdMax: 100,
  postsPerPage: 20,
  topicsPerPage: 25,
  /** The most events one subscribe ack carries; `more: true` says ask again. */
  replayPageMax: 500,
} as const;
