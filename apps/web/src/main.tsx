import { createRoot } from "react-dom/client";
import { App } from "./app.tsx";
import { loadConfig } from "./config.ts";
import "./styles.css";

const root = createRoot(document.getElementById("root") as HTMLElement);
loadConfig().then(
  (config) => root.render(<App config={config} />),
  (error: unknown) =>
    root.render(
      <p role="alert" className="error">
        The app could not read its configuration: {error instanceof Error ? error.message : String(error)}
      </p>,
    ),
);
