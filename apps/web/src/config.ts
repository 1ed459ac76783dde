/** What the serving side tells the app: `GET <base>/config.json`. */
export interface AppConfig {
  /** Absolute URL of the GraphQL endpoint (the file may give it relative to the page). */
  graphqlUrl: string;
  /** The demo key in embedded mode; absent otherwise, and the app asks for one. */
  apiKey?: string;
}

export async function loadConfig(): Promise<AppConfig> {
  const url = `${import.meta.env.BASE_URL}config.json`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}.`);
  const body: unknown = await response.json();
  if (!body || typeof body !== "object" || !("graphqlUrl" in body) || typeof body.graphqlUrl !== "string") {
    throw new Error(`${url} has no graphqlUrl.`);
  }
  const config: AppConfig = { graphqlUrl: new URL(body.graphqlUrl, location.href).href };
  if ("apiKey" in body && typeof body.apiKey === "string" && body.apiKey) config.apiKey = body.apiKey;
  return config;
}
