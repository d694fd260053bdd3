// B1: plain Socket.IO, no database. Subscribing joins a room; a post is built in memory and
// sent with io.to(room).emit. The floor for anything built on Socket.IO.
import { runSocketIoBaseline } from './socketio-baseline.js';

runSocketIoBaseline({ name: 'B1' });
