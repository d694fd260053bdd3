import type { Request, Response, NextFunction } from 'express';
import type { LastActive } from '../services/last-active.js';

/** A signed-in member's answered request makes them active now (phpBB's "Last active"). */
export function recordLastActive(lastActive: Pick<LastActive, 'touch'>) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.on('finish', () => {
      if (req.user) lastActive.touch(req.user.id);
    });
    next();
  };
}
