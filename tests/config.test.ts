// Configuration is validated at boot, with clear messages.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("loadConfig", () => {
  it("has working defaults", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: "localhost",
      publicUrl: "http://localhost:3000",
      databaseUrl: undefined,
      production: false,
      seedDemo: true,
      secureCookies: false,
    });
  });

  it("reads DATABASE_URL, PORT and HOST", () => {
    const config = loadConfig({ DATABASE_URL: "postgresql://u:p@db:5432/curbside", PORT: "8080", HOST: "0.0.0.0" });
    expect(config.databaseUrl).toBe("postgresql://u:p@db:5432/curbside");
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe("http://localhost:8080");
  });

  it("reads DATABASE_READ_URL beside DATABASE_URL, and refuses it alone or malformed", () => {
    expect(loadConfig({})).toMatchObject({ databaseReadUrl: undefined, databaseReadPoolSize: 10, databaseReadMaxLagMs: 30_000 });
    const config = loadConfig({
      DATABASE_URL: "postgresql://u:p@db:5432/curbside",
      DATABASE_READ_URL: "postgresql://u:p@replica:5432/curbside",
      DATABASE_READ_POOL_SIZE: "20",
      DATABASE_READ_MAX_LAG_SECONDS: "5",
    });
    expect(config).toMatchObject({
      databaseReadUrl: "postgresql://u:p@replica:5432/curbside",
      databaseReadPoolSize: 20,
      databaseReadMaxLagMs: 5_000,
    });
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ DATABASE_READ_URL: "postgresql://u:p@replica:5432/curbside" })).toEqual([
      "DATABASE_READ_URL: needs DATABASE_URL: it names a replica of that database",
    ]);
    const base = { DATABASE_URL: "postgresql://u:p@db:5432/curbside" };
    expect(problems({ ...base, DATABASE_READ_URL: "mysql://replica/curbside" })).toEqual([
      "DATABASE_READ_URL: must be a postgresql:// URL",
    ]);
    expect(problems({ ...base, DATABASE_READ_POOL_SIZE: "0" })[0]).toMatch(/^DATABASE_READ_POOL_SIZE: /);
    expect(problems({ ...base, DATABASE_READ_MAX_LAG_SECONDS: "never" })[0]).toMatch(/^DATABASE_READ_MAX_LAG_SECONDS: /);
  });

  it("in production: secure cookies and no demo seed", () => {
    const config = loadConfig({ NODE_ENV: "production", PUBLIC_URL: "https://curbside.example" });
    expect(config.secureCookies).toBe(true);
    expect(config.seedDemo).toBe(false);
  });

  it.each([
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL: must be a postgresql:// URL"],
    [{ PUBLIC_URL: "ftp://x" }, "PUBLIC_URL"],
    [{ NODE_ENV: "production", SEED_DEMO: "true" }, "SEED_DEMO: demo accounts are never created in production"],
    [{ SESSION_IDLE_DAYS: "40", SESSION_ABSOLUTE_DAYS: "30" }, "SESSION_IDLE_DAYS"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
  ])("rejects %o", (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", PORT: "" }).databaseUrl).toBeUndefined();
  });
});

describe("TRUST_PROXY", () => {
  it.each([
    [undefined, false],
    ["false", false],
    ["no", false],
    ["true", true],
    ["TRUE", true],
    ["1", 1],
    ["2", 2],
    ["0", 0],
    ["127.0.0.1", ["127.0.0.1"]],
    ["10.0.0.0/8, 192.168.1.7", ["10.0.0.0/8", "192.168.1.7"]],
    ["::1,fd00::/8", ["::1", "fd00::/8"]],
    ["10.0.0.0/255.0.0.0", ["10.0.0.0/255.0.0.0"]],
    ["loopback,uniquelocal", ["loopback", "uniquelocal"]],
  ])("reads %o as Fastify's trustProxy %o", (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    "maybe",
    "10.0.0.0/33",
    "::1/129",
    "10.0.0.300",
    "10.0.0.1,",
    "nginx",
    "10.0.0.0/8/1",
    "-1",
    "1.5",
    "101",
    "10.0.0.0/255.0.0.x",
  ])("refuses %o with a message naming the setting", (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow("TRUST_PROXY");
  });
});
