// A thread page's list of replies, for signed-in readers, in two layers. Most of a reply is the same for every
// reader: its author, time, text, references and counts. What differs from one reader to the next (their Reply,
// Edit and Report links, their agree / helpful / "answered my question" buttons) sits in two partials,
// reply-actions and signal-actions, and depends only on the flags `personalFlags` lists.
//
// The list as everyone sees it is rendered once, with a marker where each of those partials goes, and cut at the
// markers. Each reader's list is the cut list with every slot filled in for them. A slot is rendered once per
// set of flags and kept with the cut list (most readers share the same flags on most replies), with the page's
// CSRF token as a marker that each page replaces with its own. A reader whose page holds more than that (a
// moderator, or someone with a post of their own awaiting review here) has the list rendered whole for them
// (`render`); a test holds the two ways to the same HTML.
import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { CompiledView } from "../plugins/views.ts";
import type { ReplyNode } from "./service.ts";

type SlotKind = "a" | "s";

/** The list cut at its personal places: text, then a slot, text, slot, …, text. */
export interface CutList {
  texts: string[];
  /**
   * Which partial goes in each slot ("a" reply-actions, "s" signal-actions) and for which reply; `rendered`: the
   * slot's HTML for each set of flags met so far, cut where the CSRF token goes.
   */
  slots: { kind: SlotKind; id: number; rendered: Map<string, string[]> }[];
  /** Characters in all the texts: what the cut list costs to keep. */
  length: number;
}

/**
 * Everything in a reply that reply-actions or signal-actions read and that is not the same for every reader.
 * A field added to those partials that differs between readers must be added here.
 */
function personalFlags(kind: SlotKind, node: ReplyNode): string {
  if (kind === "a") return `${+node.canReply}${+node.canEdit}${+node.canReport}${+!!node.moderation}`;
  const s = node.signals;
  if (!s) return "-";
  return `${+s.agree.canAgree}${+s.agree.agreed}${+s.helpful.canMark}${+s.helpful.marked}${+s.accept.can}${+s.accept.accepted}`;
}

export function createReplyList(app: FastifyInstance) {
  const list: CompiledView = app.compileView("{{#each replies}}{{> reply}}{{/each}}");
  const partials: Record<SlotKind, CompiledView> = {
    a: app.compileView("{{> reply-actions}}"),
    s: app.compileView("{{> signal-actions}}"),
  };
  // Markers carry a secret drawn at start-up, so no text a person writes can pass for one.
  const secret = randomBytes(12).toString("hex");
  const marker = new RegExp(`\u0000${secret}([as])(\\d+)\u0000`, "g");
  const markerPartials = {
    "reply-actions": (reply: { id: number }) => `\u0000${secret}a${reply.id}\u0000`,
    "signal-actions": (reply: { id: number }) => `\u0000${secret}s${reply.id}\u0000`,
  };
  /** Stands for the CSRF token in a slot as rendered; letters and digits only, so escaping leaves it as it is. */
  const tokenMarker = `csrf${secret}`;
  const tokenMarkerRoot = { data: { root: { site: { csrfToken: tokenMarker } } } };

  /** The whole list rendered for one reader. */
  function render(replies: ReplyNode[], csrfToken: { toString(): string }): string {
    return list({ replies, site: { csrfToken } });
  }

  /** Renders the list with markers for its personal parts, and cuts it there. */
  function cut(replies: ReplyNode[]): CutList {
    const html = list({ replies }, { partials: markerPartials });
    // split() with the marker's two groups: text, kind, id, text, kind, id, …, text.
    const parts = html.split(marker);
    const texts: string[] = [];
    const slots: CutList["slots"] = [];
    for (let i = 0; i < parts.length; i += 3) {
      texts.push(parts[i] as string);
      if (i + 2 < parts.length) slots.push({ kind: parts[i + 1] as SlotKind, id: Number(parts[i + 2]), rendered: new Map() });
    }
    return { texts, slots, length: html.length };
  }

  /** The list for one reader: `cutList`, made from the same rows as their replies (`byId`), with each slot filled. */
  function fill(cutList: CutList, byId: ReadonlyMap<number, ReplyNode>, csrfToken: { toString(): string }): string {
    let token: string | undefined;
    // Concatenated, not joined: the list goes into the page, which is one rope of strings until the response is
    // written; a joined list would be copied once more there (30 KB of a thread page's 36).
    let out = cutList.texts[0] as string;
    for (let i = 0; i < cutList.slots.length; i++) {
      const slot = cutList.slots[i] as CutList["slots"][number];
      const node = byId.get(slot.id);
      // A reply missing from one or the other is a bug, and a page with someone else's buttons in it would be
      // worse than an error.
      if (!node) throw new Error(`reply list: reply ${slot.id} is in the list but not in this reader's replies`);
      const flags = personalFlags(slot.kind, node);
      let pieces = slot.rendered.get(flags);
      if (pieces === undefined) {
        pieces = partials[slot.kind](node, tokenMarkerRoot).split(tokenMarker);
        slot.rendered.set(flags, pieces);
      }
      if (pieces.length === 1) out += pieces[0] as string;
      else {
        token ??= String(csrfToken);
        out += pieces.join(token);
      }
      out += cutList.texts[i + 1] as string;
    }
    return out;
  }

  return { render, cut, fill };
}
