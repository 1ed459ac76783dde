import { createTaskbridgeClient, type RetryOptions, type TaskbridgeClient } from "@taskbridge/client";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { ApiKeyForm, ChangeApiKey } from "./components/api-key-form.tsx";
import type { AppConfig } from "./config.ts";
import { BatchView } from "./views/batch.tsx";
import { CreateTaskView } from "./views/create-task.tsx";
import { FindTaskView } from "./views/find-task.tsx";
import { TaskListView } from "./views/task-list.tsx";

export interface ViewProps {
  client: TaskbridgeClient;
  /** Opens a task in the find view (links from other views). */
  openTask(vendor: string, id: string): void;
}

/** The app's views, in menu order; a view is a hash route (`#find`). */
const VIEWS: { id: string; label: string; render(props: ViewProps, search: URLSearchParams): ReactNode }[] = [
  { id: "find", label: "Find a task", render: (props, search) => <FindTaskView {...props} search={search} /> },
  { id: "batch", label: "Batch", render: (props) => <BatchView {...props} /> },
  { id: "create", label: "Create a task", render: (props) => <CreateTaskView {...props} /> },
  { id: "list", label: "Task list", render: (props) => <TaskListView {...props} /> },
];

/**
 * A person watches every request: a wait the service asks for beyond a moment (an open circuit's cooldown, a long
 * rate limit) is shown at once with its retry hint, not slept through behind "Loading…" only to fail again.
 */
const INTERACTIVE_RETRY: RetryOptions = { maxDelaySeconds: 2 };

function currentRoute(): { view: string; search: URLSearchParams } {
  const [view = "", query = ""] = location.hash.slice(1).split("?");
  return { view: VIEWS.some((v) => v.id === view) ? view : "find", search: new URLSearchParams(query) };
}

export function App({ config }: { config: AppConfig }) {
  const [apiKey, setApiKey] = useState(config.apiKey);
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);
  const client = useMemo(
    () => (apiKey ? createTaskbridgeClient({ url: config.graphqlUrl, apiKey, retry: INTERACTIVE_RETRY }) : undefined),
    [config.graphqlUrl, apiKey],
  );

  const props: ViewProps | undefined = client && {
    client,
    openTask: (vendor, id) => {
      location.hash = `find?${new URLSearchParams({ vendor, id })}`;
    },
  };
  const view = VIEWS.find((v) => v.id === route.view) ?? VIEWS[0];
  return (
    <>
      <header>
        <h1>Taskbridge</h1>
        <nav>
          {VIEWS.map((v) => (
            <a key={v.id} href={`#${v.id}`} aria-current={v.id === route.view ? "page" : undefined}>
              {v.label}
            </a>
          ))}
        </nav>
        {apiKey && !config.apiKey && (
          <button type="button" className="link" onClick={() => setApiKey(undefined)}>
            Change API key
          </button>
        )}
      </header>
      <main>
        <ChangeApiKey value={() => setApiKey(undefined)}>
          {props && view ? view.render(props, route.search) : <ApiKeyForm onKey={setApiKey} />}
        </ChangeApiKey>
      </main>
    </>
  );
}
