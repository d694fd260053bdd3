import { Schema } from 'mongoose';

/** "Last post" summary kept on topics and forums. */
export const postRefSchema = new Schema(
  {
    id: { type: String, required: true },
    topicId: { type: String, required: true },
    subject: { type: String, required: true },
    authorId: { type: String, required: true },
    authorName: { type: String, required: true },
    createdAt: { type: Date, required: true },
    /** Set by older versions (the guard of a separate "last post" update); the claim sets "last post" now. */
    seq: { type: Number },
  },
  { _id: false },
);
