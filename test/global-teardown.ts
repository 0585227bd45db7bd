export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__EMULATORS__ ?? []).map((e) => e.stop()));
}
