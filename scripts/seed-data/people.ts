// The demo accounts: staff with their passwords, and the fans (all share one password).
import type { Lang } from './types';

export const ADMIN = { username: 'demo_admin', password: 'demo-admin-passphrase' };
export const MODERATOR = { username: 'mod_lena', password: 'demo-moderator-passphrase' };
export const PM = { username: 'pm_daniel', password: 'demo-pm-passphrase' };
export const FAN_PASSWORD = 'demo-fan-passphrase';
export const EMAIL_DOMAIN = 'demo.fanlab.example';

export const fans: { username: string; lang: Lang }[] = [
  { username: 'nova_nerd', lang: 'en' },
  { username: 'PixelPaula', lang: 'en' },
  { username: 'BatteryBen', lang: 'en' },
  { username: 'kenji_t', lang: 'en' },
  { username: 'tv_tom', lang: 'en' },
  { username: 'smarthome_sam', lang: 'en' },
  { username: 'maya_codes', lang: 'en' },
  { username: 'grumpy_gus', lang: 'en' },
  { username: 'lite_lover', lang: 'en' },
  { username: 'oliver_k', lang: 'en' },
  { username: 'chen_wei', lang: 'en' },
  { username: 'priya_s', lang: 'en' },
  { username: 'beta_bea', lang: 'en' },
  { username: 'zoe_zoom', lang: 'en' },
  { username: 'marcus77', lang: 'en' },
  { username: 'hannah_h', lang: 'en' },
  { username: 'ahmed_k', lang: 'en' },
  { username: 'emma_l', lang: 'en' },
  { username: 'night_owl', lang: 'en' },
  { username: 'retro_rick', lang: 'en' },
  { username: 'photo_fiona', lang: 'en' },
  { username: 'dad_of_three', lang: 'en' },
  { username: 'ivan_p', lang: 'en' },
  { username: 'sam_audio', lang: 'en' },
  { username: 'sofia_mtz', lang: 'es' },
  { username: 'diego_rv', lang: 'es' },
  { username: 'camila_rojas', lang: 'es' },
  { username: 'mateo_g', lang: 'es' },
  { username: 'lucas_br', lang: 'pt' },
  { username: 'ana_clara', lang: 'pt' },
  { username: 'joao_pedro', lang: 'pt' },
  { username: 'beatriz_s', lang: 'pt' },
];
