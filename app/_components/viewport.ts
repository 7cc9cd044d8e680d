// The viewport of every root layout (the shopper's pages, the merchant console, the 404 page).
import type { Viewport } from 'next';

export const SHOP_VIEWPORT: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0b5fd1' };
