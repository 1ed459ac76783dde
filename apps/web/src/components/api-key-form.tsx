import { createContext, type FormEvent, useId } from "react";

/** Asks the person for another API key (the app's key form); given by the app to errors that reject the key. */
export const ChangeApiKey = createContext<(() => void) | undefined>(undefined);

/** Shown when the serving side gives no key (outside embedded mode): the key stays in this page's memory only. */
export function ApiKeyForm({ onKey }: { onKey(key: string): void }) {
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const key = new FormData(event.currentTarget).get("apiKey");
    if (typeof key === "string" && key.trim()) onKey(key.trim());
  };
  return (
    <form className="card" onSubmit={submit}>
      <h2>API key</h2>
      <p>Taskbridge needs an API key for your tenant (sent as a bearer token).</p>
      <label htmlFor={id}>API key</label>
      <input id={id} name="apiKey" type="password" autoComplete="off" required />
      <button type="submit">Use this key</button>
    </form>
  );
}
