// Product pictures are local SVGs drawn on a 320×240 canvas. The explicit width/height give the
// browser the aspect ratio before the file arrives, so the page does not jump when it loads.
import type { Product } from '@/lib/shop/catalogue';

export const PRODUCT_IMAGE_WIDTH = 320;
export const PRODUCT_IMAGE_HEIGHT = 240;

type Props = {
  product: Product;
  /** Empty when the name is printed right next to the picture (screen readers would repeat it). */
  alt: string;
  /** Above the fold: load at once. Below it: lazy, so a phone fetches only what it shows. */
  eager?: boolean;
  className?: string;
};

export function ProductImage({ product, alt, eager = false, className }: Props) {
  return (
    // A plain <img>: the SVGs need no resizing, and next/image would only add client code.
    // eslint-disable-next-line @next/next/no-img-element
    <img
      src={product.image}
      alt={alt}
      width={PRODUCT_IMAGE_WIDTH}
      height={PRODUCT_IMAGE_HEIGHT}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      className={className}
    />
  );
}
