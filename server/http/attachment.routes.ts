import type { Request, Response } from 'express';
import { Router } from 'express';
import multer from 'multer';
import { create as contentDisposition } from 'content-disposition';
import { attachmentId, pageQuery } from '../../shared/schemas.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Services } from '../services/index.js';
import { parse } from './parse.js';

/** Read one multipart file into memory, refusing anything over the size limit as it streams in. */
function fileReader(maxBytes: number) {
  // Browsers send file names as raw UTF-8.
  const single = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 } }).single('file');
  return (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) => {
      single(req, res, (err: unknown) => {
        if (!err) return resolve();
        if (err instanceof multer.MulterError) {
          if (err.code === 'LIMIT_FILE_SIZE') return reject(new AppError('PAYLOAD_TOO_LARGE', `A file may be at most ${Math.floor(maxBytes / 1024)} KiB`));
          return reject(new AppError('BAD_REQUEST', `Send one file, in the form field "file" (${err.message})`));
        }
        // busboy's complaints about a malformed body
        reject(new AppError('BAD_REQUEST', `Malformed upload: ${err instanceof Error ? err.message : String(err)}`));
      });
    });
}

/** Uploading, listing and deleting attachments (REST, under /api/v1). */
export function attachmentRoutes(services: Services, config: Config, takeUpload: (req: Request) => Promise<void>): Router {
  const r = Router();
  const readFile = fileReader(config.attachmentMaxBytes);
  r.post('/attachments', async (req, res) => {
    // Who and how often first: a refused upload is not read.
    services.attachments.requireUploader(req.user);
    await takeUpload(req);
    if (!req.is('multipart/form-data')) throw new AppError('BAD_REQUEST', 'Send the file as multipart/form-data, in the field "file"');
    await readFile(req, res);
    res.status(201).json(await services.attachments.upload(req.user, req.file));
  });
  r.get('/users/me/attachments', async (req, res) => {
    const { page } = parse(pageQuery, req.query);
    res.json(await services.attachments.mine(req.user, page));
  });
  r.delete('/attachments/:attachmentId', async (req, res) => {
    res.json(await services.attachments.remove(req.user, parse(attachmentId, req.params.attachmentId)));
  });
  return r;
}

/**
 * GET /attachments/:id, the file itself (outside /api/v1: posts link here). Images are shown
 * inline, anything else is a download; the type is the one read from the bytes at upload, and
 * the response may run nothing (a sandboxing CSP), whatever a browser makes of it.
 */
export function attachmentFileRoute(services: Services): Router {
  const r = Router();
  r.get('/attachments/:attachmentId', async (req, res) => {
    const found = parse(attachmentId, req.params.attachmentId);
    const file = await services.attachments.file(found);
    res.setHeader('Content-Type', file.type);
    res.setHeader('Content-Disposition', contentDisposition(file.name, { type: file.type.startsWith('image/') ? 'inline' : 'attachment' }));
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.send(file.data);
  });
  return r;
}
