import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { TRUST_PROXY_TRUE, trustProxyOption } from './http/trust-proxy';

const trustProxy = (value: string | undefined) => loadConfig({ TRUST_PROXY: value }).trustProxy;

describe('TRUST_PROXY', () => {
  it('is off when unset, empty, false or 0', () => {
    for (const value of [undefined, '', 'false', 'FALSE', '0', ' 0 ']) expect(trustProxy(value)).toBe(false);
  });

  it('takes a hop count', () => {
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy('2')).toBe(2);
    expect(() => trustProxy('11')).toThrow(/hop count from 1 to 10, got '11'/);
  });

  it('takes a comma-separated list of IPv4 / IPv6 addresses and CIDR ranges', () => {
    expect(trustProxy('10.0.0.0/8,127.0.0.1')).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(trustProxy(' 172.16.0.0/12 , ::1, fd00::/8,')).toEqual(['172.16.0.0/12', '::1', 'fd00::/8']);
  });

  it('refuses true with the reason and the choices', () => {
    for (const value of ['true', 'True']) expect(() => trustProxy(value)).toThrow(TRUST_PROXY_TRUE);
    expect(TRUST_PROXY_TRUE).toMatch(/TRUST_PROXY=1 .*TRUST_PROXY=10\.0\.0\.0\/8,127\.0\.0\.1/);
  });

  it('refuses what is not an address, and ranges that cover everything', () => {
    for (const value of ['yes', '10.0.0', '10.0.0.0/33', '::1/129', '10.0.0.0/8/1', '10.0.0.0/x', 'proxy.internal']) {
      expect(() => trustProxy(value), value).toThrow(/is not an IP address or CIDR range|prefix length outside/);
    }
    for (const value of ['0.0.0.0/0', '10.0.0.0/8,::/0']) {
      expect(() => trustProxy(value), value).toThrow(/covers every address/);
    }
  });

  it('becomes a Fastify trust function for hop counts (Fastify ignores plain numbers)', () => {
    const trust = trustProxyOption(2);
    if (typeof trust !== 'function') throw new Error('expected a trust function');
    expect([0, 1, 2, 3].map((hop) => trust('203.0.113.1', hop))).toEqual([true, true, false, false]);
    expect(trustProxyOption(false)).toBe(false);
    expect(trustProxyOption(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
  });
});

describe('mail settings', () => {
  it('builds links from HOST and PORT unless PUBLIC_URL is set, and keeps only origin and path', () => {
    expect(loadConfig({}).publicUrl).toBe('http://127.0.0.1:3000');
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ HOST: '::1' }).publicUrl).toBe('http://[::1]:3000');
    expect(loadConfig({ PUBLIC_URL: 'https://fans.example.com/' }).publicUrl).toBe('https://fans.example.com');
    expect(loadConfig({ PUBLIC_URL: 'https://example.com/forum//?x=1#y' }).publicUrl).toBe('https://example.com/forum');
  });

  it.each(['fans.example.com', 'ftp://fans.example.com', 'javascript:alert(1)'])('refuses PUBLIC_URL=%s', (value) => {
    expect(() => loadConfig({ PUBLIC_URL: value })).toThrow(/PUBLIC_URL must be an absolute http\(s\) URL/);
  });

  it('takes smtp:// and smtps:// URLs only; unset means files in MAIL_DIR', () => {
    expect(loadConfig({}).smtpUrl).toBeUndefined();
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465' }).smtpUrl).toBe(
      'smtps://u:p@mail.example.com:465',
    );
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL must look like/);
    expect(() => loadConfig({ SMTP_URL: 'mail.example.com:25' })).toThrow(/SMTP_URL must look like/);
    expect(loadConfig({ MAIL_DIR: '/tmp/x/../mail' }).mailDir).toBe('/tmp/mail');
  });

  it('keeps uploads in a folder unless all of S3_* are set, and bounds UPLOAD_MAX_MB', () => {
    const plain = loadConfig({});
    expect(plain.uploadsS3).toBeUndefined();
    expect(plain.uploadsDir.endsWith('/.data/uploads')).toBe(true);
    expect(plain.uploadMaxBytes).toBe(10 * 1024 * 1024);
    expect(loadConfig({ UPLOADS_DIR: '/srv/x/../up' }).uploadsDir).toBe('/srv/up');
    const s3 = {
      S3_ENDPOINT: 'https://s3.eu-west-1.amazonaws.com/',
      S3_BUCKET: 'fan-uploads',
      S3_ACCESS_KEY_ID: 'AKIA1',
      S3_SECRET_ACCESS_KEY: 'secret',
    };
    expect(loadConfig(s3).uploadsS3).toEqual({
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      bucket: 'fan-uploads',
      region: 'us-east-1',
      accessKeyId: 'AKIA1',
      secretAccessKey: 'secret',
    });
    expect(() => loadConfig({ ...s3, S3_SECRET_ACCESS_KEY: '' })).toThrow(/missing S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ ...s3, S3_ENDPOINT: 'ftp://x' })).toThrow(/S3_ENDPOINT must be an http\(s\) URL/);
    expect(() => loadConfig({ ...s3, S3_BUCKET: 'Bad_Bucket' })).toThrow(/S3_BUCKET must be a bucket name/);
    expect(() => loadConfig({ UPLOAD_MAX_MB: '0' })).toThrow(/UPLOAD_MAX_MB/);
    expect(loadConfig({ UPLOAD_MAX_MB: '25' }).uploadMaxBytes).toBe(25 * 1024 * 1024);
  });
});
