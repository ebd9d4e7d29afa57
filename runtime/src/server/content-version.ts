/**
 * Downgrading content blocks for older protocol revisions. Shared by tool results and
 * prompt messages, so it lives in neither.
 */
import type { ContentBlock } from "../protocol/types.js";
import type { Features } from "../protocol/versions.js";

/**
 * A content block as the negotiated revision can carry it: resource_link (2025-06-18)
 * becomes a text naming the link; audio (2025-03-26) becomes an embedded blob
 * resource, which keeps the data and its MIME type.
 */
export function contentForVersion(block: ContentBlock, f: Features): ContentBlock {
  if (block.type === "resource_link" && !f.resourceLinks) {
    return { type: "text", text: `${block.title ?? block.name}: ${block.uri}` };
  }
  if (block.type === "audio" && !f.audio) {
    const downgraded: ContentBlock = {
      type: "resource",
      resource: { uri: `audio:${block.mimeType}`, mimeType: block.mimeType, blob: block.data },
    };
    if (block.annotations) downgraded.annotations = block.annotations;
    return downgraded;
  }
  return block;
}
