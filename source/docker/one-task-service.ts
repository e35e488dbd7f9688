import type Dockerode from 'dockerode';

/** Removes a service by name; false when there was none (404). */
export async function removeNamedService(docker: Dockerode, name: string): Promise<boolean> {
  try {
    await docker.getService(name).remove();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/** The status of a one-task service's task (undefined before Swarm scheduled one, or none). */
export async function oneTaskStatus(
  docker: Dockerode,
  name: string,
): Promise<{ state: string; error?: string; timestamp?: string } | undefined> {
  const tasks = (await docker.listTasks({ filters: { service: [name] } })) as {
    Status?: { State?: string; Err?: string; Timestamp?: string };
  }[];
  const status = tasks[0]?.Status;
  if (!status?.State) return undefined;
  return {
    state: status.State,
    ...(status.Err ? { error: status.Err } : {}),
    ...(status.Timestamp ? { timestamp: status.Timestamp } : {}),
  };
}
