// What a tag on a VM or container may be called (issue 14): checked by the server on every
// tag write and assignment scope.
import { z } from "zod";

/** Tag names: lowercase words, digits, dash, underscore, dot and colon ("team:web"). */
export const TagName = z
  .string()
  .min(1, "must not be empty")
  .max(48, "at most 48 characters")
  .regex(/^[a-z0-9][a-z0-9._:-]*$/, "lowercase letters, digits, and . _ : - (starting with a letter or digit)");
