// A button's work on a page (a request sent, a file built): busy while it runs, then the message it
// ends with, or what went wrong, for a role="status" line.
import { useState } from "react";

export function useAction(failure: (error: unknown) => string) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  /** Runs the work; what it resolves to (null: nothing to say) or its failure becomes the message. */
  const run = async (work: () => Promise<string | null>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage(await work());
    } catch (error) {
      setMessage(failure(error));
    } finally {
      setBusy(false);
    }
  };
  return { busy, message, setMessage, run };
}
