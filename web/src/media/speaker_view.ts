import { sameId, type Id } from '../api/types';
import type { SpeakerState } from './active_speaker';
import type { RoomTiles, TileModel } from './tiles';

// The room's tiles with the active speaker applied: pure, so that it can be
// tested without a browser.
//  - A camera tile of someone off stage (Last-N: this tab does not receive
//    their camera) shows their initials.
//  - In speaker view, unless a screen is shared (the screen keeps the stage),
//    the speaker's camera is shown large and the others go into the strip;
//    when this tab itself speaks, or nobody has yet, the last other speaker
//    (or the first other person) stays large.
export interface ArrangedTiles extends RoomTiles {
  // The tile key of the dominant speaker's camera, if it is among the tiles.
  speakerKey: string | null;
}

export function arrangeTiles(
  room: RoomTiles,
  speakers: SpeakerState,
  options: { speakerView: boolean; selfId: Id | null; lastOtherSpeaker: Id | null },
): ArrangedTiles {
  const offStage = (tile: TileModel) =>
    !tile.self && tile.source === 'camera' && speakers.offStage.some((id) => sameId(id, tile.participantId));
  const tiles = room.tiles.map((tile) => (offStage(tile) ? { ...tile, videoOn: false } : tile));
  const isSpeaker = (tile: TileModel, id: Id | null) =>
    id !== null && tile.source === 'camera' && (tile.self ? sameId(id, options.selfId) : sameId(id, tile.participantId));
  const speakerTile = tiles.find((tile) => isSpeaker(tile, speakers.speaker)) ?? null;
  const result: ArrangedTiles = { ...room, tiles, speakerKey: speakerTile?.key ?? null };
  if (!options.speakerView || room.stage !== null) return result;

  const others = tiles.filter((tile) => !tile.self && tile.source === 'camera');
  const large =
    (speakerTile && !speakerTile.self ? speakerTile : null) ??
    others.find((tile) => isSpeaker(tile, options.lastOtherSpeaker)) ??
    others[0] ??
    null;
  if (!large) return result;
  return { ...result, stage: large, tiles: tiles.filter((tile) => tile.key !== large.key) };
}
